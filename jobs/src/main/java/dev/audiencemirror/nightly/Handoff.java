package dev.audiencemirror.nightly;

import dev.audiencemirror.assertion.MembershipAssertion;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What this run hands the streaming job for the lists it writes ({@link
 * dev.audiencemirror.config.ListOwnership}): per user, one {@link MembershipAssertion} naming every
 * handed-off cohort, stamped with the export's as-of time. Counted per cohort, so that the safety
 * check can refuse an export that would empty one, as it refuses one that would empty a list.
 *
 * @param cohorts the cohorts whose lists the streaming job writes
 */
record Handoff(String aliasTag, Instant asOf, SortedSet<String> cohorts) implements Serializable {
    Handoff(String aliasTag, Instant asOf, Set<String> cohorts) {
        this(aliasTag, asOf, new TreeSet<>(cohorts));
    }

    static final String ASSERTIONS = "handoff.assertions";

    Handoff {
        cohorts = new TreeSet<>(cohorts);
    }

    /** Accumulator name: {@code what} is {@code in} (today), {@code before} (at the last hand-off) or {@code leaving}. */
    static String counter(String cohort, String what) {
        return "handoff." + what + "." + cohort;
    }

    /** The new snapshot's line for a user the hand-off has in {@code cohorts}: {@code user<TAB>cohort,cohort}. */
    static String handedOffLine(String userId, Collection<String> cohorts) {
        return userId + "\t" + String.join(",", new TreeSet<>(cohorts));
    }

    /** Reads a {@link #handedOffLine}: one record per cohort of it that is still handed off. */
    void previous(String line, java.util.function.Consumer<UserInput> out) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
            for (String cohort : line.substring(tab + 1).split(",")) {
                if (cohorts.contains(cohort)) {
                    out.accept(UserInput.handedOff(line.substring(0, tab), cohort));
                }
            }
        }
    }

    /** The assertion for a user in {@code in} today, with their identity when the export has one (else null). */
    MembershipAssertion assertion(String userId, Collection<String> in, UserInput identity) {
        TreeMap<String, Boolean> stated = new TreeMap<>();
        cohorts.forEach(c -> stated.put(c, in.contains(c)));
        return new MembershipAssertion(userId, asOf, stated, identity != null
                ? Optional.of(MembershipAssertion.identity(userId, aliasTag, identity.contactId(), identity.time()))
                : Optional.empty());
    }
}

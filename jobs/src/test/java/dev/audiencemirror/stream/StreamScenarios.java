package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * {@link AgreementScenario} for tests outside this package (the multi-process cluster test, the
 * key-rotation test): its lines, its planted bad lines, the lists it expects, computed without the
 * job's code, and the hard cases its seed holds.
 */
public final class StreamScenarios {
    private StreamScenarios() {}

    /** @param planted bad lines as "identities:N" / "events:N", N the 1-based line number */
    public record Scenario(List<String> identityLines, List<String> eventLines, Set<String> planted,
            SortedMap<Long, SortedSet<Long>> expected, Map<String, Long> activations, HardCases hardCases) {}

    /**
     * How many of each hard case a scenario holds: contacts shared by several holders in the
     * answer, users whose contact changes (or is lost), users with same-time identity records
     * naming different contacts (input order decides), users with an identity record arriving
     * after a newer one of theirs.
     */
    public record HardCases(int sharedContacts, int contactChanges, int sameTimeIdentities, int lateIdentities) {
        /** Fails unless the seed holds every hard case: a test that feeds it meets them under its failures. */
        public void assertPresent() {
            assertThat(this).as("the scenario's hard cases").satisfies(
                    h -> assertThat(h.sharedContacts()).as("contacts shared by several users").isPositive(),
                    h -> assertThat(h.contactChanges()).as("users whose contact changes").isPositive(),
                    h -> assertThat(h.sameTimeIdentities()).as("users with same-time identities").isPositive(),
                    h -> assertThat(h.lateIdentities()).as("users with late identities").isPositive());
        }
    }

    /** {@code users} users and {@code aliasUsers} keys named by their contact alias. */
    public static Scenario of(long seed, int users, int aliasUsers) {
        AgreementScenario s = new AgreementScenario(seed, users, aliasUsers);
        return new Scenario(List.copyOf(s.identityLines), List.copyOf(s.eventLines), Set.copyOf(s.planted),
                s.expected, AgreementScenario.ACTIVATIONS, s.hardCases);
    }
}

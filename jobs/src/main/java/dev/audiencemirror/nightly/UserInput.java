package dev.audiencemirror.nightly;

import dev.audiencemirror.identity.IdentityOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the join by user needs from the inputs: today's identity (contact ID, possibly none, its
 * time and where it was read), lists the user belongs to today (membership), one cohort handed to
 * the streaming job the user is in today (cohort), what the last snapshot says the user held
 * (previous: contact and lists; handed off: one cohort the last run asserted the user in), or that
 * a line about the user could not be read (held). Each kind carries only its own fields ({@link
 * UserInputSerializer}). Immutable: {@code lists} is never changed after construction.
 *
 * @param contactId set for an identity that has one and for a previous record, else null
 * @param lists set for a membership and a previous record, else empty
 * @param cohort set for a cohort and a handed-off record, else null
 * @param time the identity's event time, else null
 * @param source the identity's file name, else null
 * @param line the identity's line number in its file, else 0
 */
@TypeInfo(UserInputTypeInfoFactory.class)
public record UserInput(String userId, byte kind, String contactId, long[] lists, String cohort, Instant time,
        String source, long line) {
    private static final long[] NO_LISTS = {};

    static final byte IDENTITY = 0;
    static final byte MEMBERSHIP = 1;
    static final byte PREVIOUS = 2;
    static final byte HELD_IDENTITY = 3;
    static final byte HELD_MEMBERSHIP = 4;
    static final byte COHORT = 5;
    static final byte HANDED_OFF = 6;

    static UserInput identity(String userId, String contactId, Instant time, String source, long line) {
        return new UserInput(userId, IDENTITY, contactId, NO_LISTS, null, time, source, line);
    }

    static UserInput membership(String userId, long listId) {
        return memberships(userId, new long[] {listId});
    }

    static UserInput memberships(String userId, long[] lists) {
        return new UserInput(userId, MEMBERSHIP, null, lists, null, null, null, 0);
    }

    static UserInput cohort(String userId, String cohort) {
        return new UserInput(userId, COHORT, null, NO_LISTS, cohort, null, null, 0);
    }

    static UserInput previous(String userId, String contactId, Collection<Long> lists) {
        return previous(userId, contactId, lists.stream().mapToLong(Long::longValue).toArray());
    }

    static UserInput previous(String userId, String contactId, long[] lists) {
        return new UserInput(userId, PREVIOUS, contactId, lists, null, null, null, 0);
    }

    static UserInput handedOff(String userId, String cohort) {
        return new UserInput(userId, HANDED_OFF, null, NO_LISTS, cohort, null, null, 0);
    }

    static UserInput held(String userId, byte kind) {
        return new UserInput(userId, kind, null, NO_LISTS, null, null, null, 0);
    }

    /** Whether this identity stands over {@code held}, an identity of the same user or null ({@link IdentityOrder}). */
    boolean replaces(UserInput held) {
        return held == null || IdentityOrder.replaces(time, source, line, held.time, held.source, held.line);
    }

    /**
     * Two membership records of one user as one (their lists, repeats kept: the join takes them
     * distinct), else null ({@link ConsecutiveMerge}): a membership file written a user at a time
     * crosses the shuffle as one record per user.
     */
    static UserInput mergeMemberships(UserInput a, UserInput b) {
        if (a.kind != MEMBERSHIP || b.kind != MEMBERSHIP || !a.userId.equals(b.userId)) {
            return null;
        }
        long[] both = Arrays.copyOf(a.lists, a.lists.length + b.lists.length);
        System.arraycopy(b.lists, 0, both, a.lists.length, b.lists.length);
        return memberships(a.userId, both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserInput u && kind == u.kind && line == u.line && userId.equals(u.userId)
                && Objects.equals(contactId, u.contactId) && Arrays.equals(lists, u.lists) && Objects.equals(cohort, u.cohort)
                && Objects.equals(time, u.time) && Objects.equals(source, u.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, kind, contactId, Arrays.hashCode(lists), cohort);
    }

    @Override
    public String toString() {
        return "UserInput[" + userId + " kind " + kind + (contactId == null ? "" : " contact " + contactId)
                + (lists.length == 0 ? "" : " lists " + Arrays.toString(lists)) + (cohort == null ? "" : " cohort " + cohort)
                + (time == null ? "" : " at " + time + " from " + source + ":" + line) + "]";
    }
}

package dev.audiencemirror.nightly;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the join by user needs from the inputs: today's identity (contact ID, possibly none, its
 * time and where it was read), one list the user belongs to today (membership), one cohort handed
 * to the streaming job the user is in today (cohort), what the last snapshot says the user held
 * (previous: contact and one list; handed off: one cohort the last run asserted the user in), or
 * that a line about the user could not be read (held). Each kind carries only its own fields
 * ({@link UserInputSerializer}).
 *
 * @param contactId set for an identity that has one and for a previous record, else null
 * @param listId set for a membership and a previous record, else {@link #NO_LIST}
 * @param cohort set for a cohort and a handed-off record, else null
 * @param time the identity's event time, else null
 * @param source the identity's file name, else null
 * @param line the identity's line number in its file, else 0
 */
@TypeInfo(UserInputTypeInfoFactory.class)
public record UserInput(String userId, byte kind, String contactId, long listId, String cohort, Instant time,
        String source, long line) {
    public static final long NO_LIST = -1;

    static final byte IDENTITY = 0;
    static final byte MEMBERSHIP = 1;
    static final byte PREVIOUS = 2;
    static final byte HELD_IDENTITY = 3;
    static final byte HELD_MEMBERSHIP = 4;
    static final byte COHORT = 5;
    static final byte HANDED_OFF = 6;

    static UserInput identity(String userId, String contactId, Instant time, String source, long line) {
        return new UserInput(userId, IDENTITY, contactId, NO_LIST, null, time, source, line);
    }

    static UserInput membership(String userId, long listId) {
        return new UserInput(userId, MEMBERSHIP, null, listId, null, null, null, 0);
    }

    static UserInput cohort(String userId, String cohort) {
        return new UserInput(userId, COHORT, null, NO_LIST, cohort, null, null, 0);
    }

    static UserInput previous(String userId, String contactId, long listId) {
        return new UserInput(userId, PREVIOUS, contactId, listId, null, null, null, 0);
    }

    static UserInput handedOff(String userId, String cohort) {
        return new UserInput(userId, HANDED_OFF, null, NO_LIST, cohort, null, null, 0);
    }

    static UserInput held(String userId, byte kind) {
        return new UserInput(userId, kind, null, NO_LIST, null, null, null, 0);
    }

    /** Whether this identity stands over {@code held}, an identity of the same user or null ({@link dev.audiencemirror.identity.IdentityOrder}). */
    boolean replaces(UserInput held) {
        return held == null || dev.audiencemirror.identity.IdentityOrder.replaces(time, source, line, held.time, held.source, held.line);
    }
}

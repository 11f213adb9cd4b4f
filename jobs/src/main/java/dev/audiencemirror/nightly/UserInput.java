package dev.audiencemirror.nightly;

/**
 * What the join by user needs from the inputs: today's contact ID (identity), one list the user
 * belongs to today (membership), what the last snapshot says the user held (previous: contact and
 * one list), or that a line about the user could not be read (held). Plain fields so Flink
 * serializes it as a POJO.
 *
 * @param contactId set for an identity and a previous record, else null
 * @param listId set for a membership and a previous record, else {@link #NO_LIST}
 */
public record UserInput(String userId, byte kind, String contactId, long listId) {
    public static final long NO_LIST = -1;

    static final byte IDENTITY = 0;
    static final byte MEMBERSHIP = 1;
    static final byte PREVIOUS = 2;
    static final byte HELD_IDENTITY = 3;
    static final byte HELD_MEMBERSHIP = 4;

    static UserInput identity(String userId, String contactId) {
        return new UserInput(userId, IDENTITY, contactId, NO_LIST);
    }

    static UserInput membership(String userId, long listId) {
        return new UserInput(userId, MEMBERSHIP, null, listId);
    }

    static UserInput previous(String userId, String contactId, long listId) {
        return new UserInput(userId, PREVIOUS, contactId, listId);
    }

    static UserInput held(String userId, byte kind) {
        return new UserInput(userId, kind, null, NO_LIST);
    }
}

package dev.audiencemirror.nightly;

/**
 * What the join by user needs from the inputs: an identity gives the user's contact ID, a
 * membership gives one list the user belongs to. Plain fields so Flink serializes it as a POJO.
 *
 * @param contactId set for an identity, null for a membership
 * @param listId set for a membership, {@link #NO_LIST} for an identity
 */
public record UserInput(String userId, String contactId, long listId) {
    public static final long NO_LIST = -1;

    static UserInput identity(String userId, String contactId) {
        return new UserInput(userId, contactId, NO_LIST);
    }

    static UserInput membership(String userId, long listId) {
        return new UserInput(userId, null, listId);
    }

    boolean isIdentity() {
        return listId == NO_LIST;
    }
}

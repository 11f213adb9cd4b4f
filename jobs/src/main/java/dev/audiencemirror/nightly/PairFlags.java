package dev.audiencemirror.nightly;

import dev.audiencemirror.listop.ListKey;

/**
 * A (contact, list) pair seen in today's target audience, in the last synced snapshot, or both;
 * the diff ORs the flags of one pair together.
 */
public record PairFlags(String contactId, long listId, int flags) {
    public static final int TARGET = 1;
    public static final int SYNCED = 2;

    boolean inTarget() {
        return (flags & TARGET) != 0;
    }

    boolean wasSynced() {
        return (flags & SYNCED) != 0;
    }

    PairFlags merge(PairFlags other) {
        return new PairFlags(contactId, listId, flags | other.flags);
    }

    /** The pair as a Flink key (its own serializer; no string built per record). */
    ListKey listKey() {
        return new ListKey(contactId, listId);
    }

    /** The pair as a snapshot line, {@code contactId,listId}. */
    String key() {
        return contactId + "," + listId;
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.listop.ListKey;

/**
 * A (contact, list) pair as the inputs see it: in today's target audience, in the last synced
 * snapshot, named by an unfinished push or a refused operation (its state on the list unknown),
 * held by a user whose line could not be read. The diff ORs the flags of one pair together.
 */
public record PairFlags(String contactId, long listId, int flags) {
    public static final int TARGET = 1;
    public static final int SYNCED = 2;
    public static final int UNCERTAIN = 4;
    public static final int HELD = 8;

    boolean inTarget() {
        return (flags & TARGET) != 0;
    }

    boolean wasSynced() {
        return (flags & SYNCED) != 0;
    }

    boolean isUncertain() {
        return (flags & UNCERTAIN) != 0;
    }

    boolean isHeld() {
        return (flags & HELD) != 0;
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

    /** A snapshot line back as a pair with {@code flags}. */
    static PairFlags ofKey(String key, int flags) {
        int comma = key.lastIndexOf(',');
        return new PairFlags(key.substring(0, comma), Long.parseLong(key.substring(comma + 1).strip()), flags);
    }
}

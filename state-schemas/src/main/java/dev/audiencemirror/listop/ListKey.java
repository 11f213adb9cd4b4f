package dev.audiencemirror.listop;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A (contact, list) pair: the unit of ordering for list operations. Usable as a Flink key: its
 * hash code is spelled out so that key groups cannot move with the JDK's record hashing.
 */
@TypeInfo(ListKeyTypeInfoFactory.class)
public record ListKey(String contactId, long listId) {
    public ListKey {
        Objects.requireNonNull(contactId, "contactId");
    }

    @Override
    public int hashCode() {
        return 31 * contactId.hashCode() + Long.hashCode(listId);
    }

    @Override
    public String toString() {
        return "contact=" + contactId + " list=" + listId;
    }
}

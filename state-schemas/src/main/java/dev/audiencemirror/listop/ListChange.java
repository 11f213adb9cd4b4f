package dev.audiencemirror.listop;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What one (contact, list) should be as of one user's latest accepted record: the streaming job's
 * per-user stage emits these, the net diff per (contact, list) turns them into at most one
 * {@link ListOperation} per window. Unlike a {@code ListOperation} it has no version yet: a
 * request is not an operation until the diff decides to send it.
 *
 * @param eventTimeMillis event time of the record that caused the request, epoch millis
 */
@TypeInfo(ListChangeTypeInfoFactory.class)
public record ListChange(String contactId, long listId, ListAction action, long eventTimeMillis) {
    public ListChange {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(action, "action");
    }

    public ListKey key() {
        return new ListKey(contactId, listId);
    }
}

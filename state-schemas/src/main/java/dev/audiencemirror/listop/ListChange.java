package dev.audiencemirror.listop;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One user's word on one (contact, list), as of that user's latest accepted record: the
 * streaming job's per-user stage emits these, the net diff per (contact, list) keeps which users
 * hold the contact on the list and turns that into at most one {@link ListOperation} per window.
 * Unlike a {@code ListOperation} it has no version yet: a request is not an operation until the
 * diff decides to send it.
 *
 * @param userKey the user (the per-user stage's key) the request speaks for
 * @param action {@code ADD}: the user puts the contact on the list; {@code REMOVE}: the user does
 *     not (the contact leaves the list only when no user puts it there)
 * @param eventTimeMillis event time of the record that caused the request, epoch millis
 */
@TypeInfo(ListChangeTypeInfoFactory.class)
public record ListChange(String contactId, long listId, String userKey, ListAction action, long eventTimeMillis) {
    public ListChange {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(action, "action");
    }

    public ListKey key() {
        return new ListKey(contactId, listId);
    }
}

package dev.audiencemirror.listop;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Add a contact to, or remove it from, an Adestra list. The contact ID is kept as text and not
 * checked here (parsers check it), so tests can build operations the destination will refuse.
 *
 * @param eventTimeMillis when the membership change happened, epoch millis
 * @param version increases with every operation on the same {@link #key()}: a sink never sends an
 *     operation after one with a higher version for that key, across retries and restarts
 */
@TypeInfo(ListOperationTypeInfoFactory.class)
public record ListOperation(String contactId, long listId, ListAction action, long eventTimeMillis, long version) {
    public ListOperation {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(action, "action");
    }

    public ListKey key() {
        return new ListKey(contactId, listId);
    }
}

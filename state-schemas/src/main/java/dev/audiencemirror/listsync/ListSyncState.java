package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListAction;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the streaming job's net diff keeps per (contact, list): the last operation it sent and the
 * request waiting in the key's open window.
 *
 * @param sent the action last sent for this key, {@code null} when none was (since the state began)
 * @param version the version of that operation, 0 when none; the next one must be higher (the
 *     Adestra sink drops an operation that is not newer than what it holds for the key)
 * @param sentBy the run of the diff operator that sent it (a random id drawn when a subtask
 *     starts). A later run restored from a checkpoint cannot know what was sent after that
 *     checkpoint, so it does not trust {@code sent} until it has sent for the key itself.
 * @param pending the latest requested action in the open window, {@code null} when no window is open
 * @param pendingEventTimeMillis event time of that request, epoch millis (0 when none)
 */
@TypeInfo(ListSyncStateTypeInfoFactory.class)
public record ListSyncState(
        ListAction sent, long version, long sentBy, ListAction pending, long pendingEventTimeMillis) {

    /** A key nothing was sent or requested for. */
    public static final ListSyncState EMPTY = new ListSyncState(null, 0, 0, null, 0);

    public boolean hasPending() {
        return pending != null;
    }

    /** The window's latest request replaces any earlier one: only the net effect is sent. */
    public ListSyncState withRequest(ListAction action, long eventTimeMillis) {
        return new ListSyncState(sent, version, sentBy, action, eventTimeMillis);
    }

    /** The pending request went out as {@code newVersion}; the window is closed. */
    public ListSyncState afterSending(long newVersion, long runId) {
        return new ListSyncState(pending, newVersion, runId, null, 0);
    }

    /** The window closed with nothing to send. */
    public ListSyncState withoutPending() {
        return new ListSyncState(sent, version, sentBy, null, 0);
    }
}

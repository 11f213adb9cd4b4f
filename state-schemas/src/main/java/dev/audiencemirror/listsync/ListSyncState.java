package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the streaming job's net diff keeps per (contact, list): the users that put the contact on
 * the list, the last operation it sent and the request waiting in the key's open window.
 *
 * @param sent the action last sent for this key, {@code null} when none was (since the state began)
 * @param version the version of that operation, 0 when none; the next one must be higher (the
 *     Adestra sink drops an operation that is not newer than what it holds for the key)
 * @param sentBy the run of the diff operator that sent it (a random id drawn when a subtask
 *     starts). A later run restored from a checkpoint cannot know what was sent after that
 *     checkpoint, so it does not trust {@code sent} until it has sent for the key itself.
 * @param pending what the key should be as of the latest request in the open window, {@code null}
 *     when no window is open
 * @param pendingEventTimeMillis event time of that request, epoch millis (0 when none)
 * @param holders the users (keys of the per-user stage) whose latest request puts the contact on
 *     the list, sorted, each once; the contact belongs on the list while there is at least one.
 *     Usually one: an immutable list is the cheapest set for that.
 */
@TypeInfo(ListSyncStateTypeInfoFactory.class)
public record ListSyncState(
        ListAction sent, long version, long sentBy, ListAction pending, long pendingEventTimeMillis,
        List<String> holders) {

    /** No user holds the key. */
    public static final List<String> NO_HOLDERS = List.of();

    /** A key nothing was sent or requested for. */
    public static final ListSyncState EMPTY = new ListSyncState(null, 0, 0, null, 0, NO_HOLDERS);

    public ListSyncState {
        holders = List.copyOf(Objects.requireNonNull(holders, "holders")); // no copy when already immutable
        for (int i = 1; i < holders.size(); i++) {
            if (holders.get(i - 1).compareTo(holders.get(i)) >= 0) {
                throw new IllegalArgumentException("holders must be sorted and distinct: " + holders);
            }
        }
    }

    public boolean hasPending() {
        return pending != null;
    }

    /** What the key should be now: on the list while any user holds it. */
    public ListAction desired() {
        return holders.isEmpty() ? ListAction.REMOVE : ListAction.ADD;
    }

    /**
     * Records {@code user}'s request: {@code ADD} makes the user a holder, {@code REMOVE} drops
     * them (a no-op for a user who does not hold the key); the open window's pending action is
     * what the key should be afterwards.
     */
    public ListSyncState withRequest(String user, ListAction action, long eventTimeMillis) {
        int at = Collections.binarySearch(holders, user);
        List<String> next = holders;
        if (action == ListAction.ADD && at < 0) {
            ArrayList<String> more = new ArrayList<>(holders.size() + 1);
            more.addAll(holders);
            more.add(-at - 1, user);
            next = more;
        } else if (action == ListAction.REMOVE && at >= 0) {
            ArrayList<String> fewer = new ArrayList<>(holders);
            fewer.remove(at);
            next = fewer;
        }
        ListAction now = next.isEmpty() ? ListAction.REMOVE : ListAction.ADD;
        return new ListSyncState(sent, version, sentBy, now, eventTimeMillis, next);
    }

    /** The pending request went out as {@code newVersion}; the window is closed. */
    public ListSyncState afterSending(ListAction action, long newVersion, long runId) {
        return new ListSyncState(action, newVersion, runId, null, 0, holders);
    }

    /** The window closed with nothing to send. */
    public ListSyncState withoutPending() {
        return new ListSyncState(sent, version, sentBy, null, 0, holders);
    }
}

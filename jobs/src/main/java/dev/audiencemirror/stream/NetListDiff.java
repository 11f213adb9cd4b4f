package dev.audiencemirror.stream;

import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.listsync.ListSyncState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps, per (contact, list), the users whose latest request puts the contact on the list (its
 * holders), and collapses the changes over a short window into at most one {@link ListOperation}.
 * The contact belongs on the list while it has at least one holder. {@link NetListDiffOperator}
 * collects requests in memory for {@code window} after the first one, then closes every key that
 * got any at once ({@link #apply}): what the key should be is sent if it differs from the last
 * operation sent for the key. A user who enters and leaves within a window therefore costs no
 * call, nor does a second user joining a contact that is already on the list.
 *
 * <p><b>Versions.</b> Each operation sent carries {@code max(last version + 1, processing time in
 * ms)}: strictly increasing per key, which is what the Adestra sink orders by, and still ahead of
 * the versions a lost or dropped state had handed out (at most one operation per key per window).
 *
 * <p><b>After a restore</b> the state says what was sent up to the checkpoint, not what went out
 * after it and before the failure. So a key's first window after a restore sends even if it
 * equals the last operation recorded ({@link ListSyncState#sentBy}); the re-send is idempotent at
 * Adestra. While the holders are being rebuilt after a restore from state that had none
 * ({@link #holdersComplete}), requests go to the state as a pending window with a timer per key
 * ({@link #processElement}, as state written by earlier builds also holds them), and windows stay
 * open and send nothing.
 *
 * <p>With {@code stream.user-ttl}, a key without holders is forgotten once its window has closed
 * (its memory of the last removal sent is all there is): state does not grow with every contact
 * ever seen. The next request for such a key is simply sent. Without a TTL the memory is kept.
 */
final class NetListDiff extends KeyedProcessFunction<ListKey, ListChange, ListOperation> {
    private static final long serialVersionUID = 1L;

    /** State name; part of savepoints together with the operator uid {@code net-list-diff}. */
    static final String STATE = "list-sync";

    private final long windowMillis;
    private final boolean forgetUnheld;

    private transient ValueState<ListSyncState> keys;
    /** This run of this subtask; never 0, which is "nothing sent". */
    private transient long runId;
    private transient boolean holdersComplete;
    private transient Counter sent;
    private transient Counter collapsed;

    NetListDiff(Duration window, Optional<Duration> ttl) {
        this.windowMillis = window.toMillis();
        this.forgetUnheld = ttl.isPresent();
    }

    @Override
    public void open(OpenContext context) {
        keys = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, TypeInformation.of(ListSyncState.class)));
        runId = RunIds.next();
        holdersComplete = true;
        sent = getRuntimeContext().getMetricGroup().counter("listOperationsSent");
        collapsed = getRuntimeContext().getMetricGroup().counter("windowsWithNothingToSend");
    }

    /** Whether every holder is known; set by {@link NetListDiffOperator} (false only while migrating). */
    void holdersComplete(boolean complete) {
        holdersComplete = complete;
    }

    long windowMillis() {
        return windowMillis;
    }

    /**
     * A request recorded in the state as the key's pending window, closed by a per-key timer: the
     * path while holders are rebuilt; in-memory windows ({@link #apply}) otherwise.
     */
    @Override
    public void processElement(ListChange change, Context ctx, Collector<ListOperation> out) throws Exception {
        ListSyncState s = keys.value();
        if (s == null) {
            s = ListSyncState.EMPTY;
        }
        if (!s.hasPending()) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + windowMillis);
        }
        keys.update(s.withRequest(change.userKey(), change.action(), change.eventTimeMillis()));
    }

    /**
     * Closes the current key's window of in-memory requests, in arrival order: one read and one
     * write of the key's state for all of them. The key must be set.
     */
    void apply(ListKey key, List<ListChange> requests, long nowMillis, Collector<ListOperation> out) throws Exception {
        ListSyncState s = keys.value();
        if (s == null) {
            s = ListSyncState.EMPTY;
        }
        ListSyncState before = s;
        for (ListChange r : requests) {
            s = s.withRequest(r.userKey(), r.action(), r.eventTimeMillis());
        }
        if (!before.hasPending() && s.sentBy() == runId && s.desired() == s.sent()
                && s.holders().equals(before.holders())) {
            collapsed.inc(); // a repeated word: nothing to send and nothing to write
            return;
        }
        close(key, s, nowMillis, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ListOperation> out) throws Exception {
        if (!holdersComplete) {
            ctx.timerService().registerProcessingTimeTimer(timestamp + windowMillis);
            return;
        }
        closeWindow(ctx.getCurrentKey(), timestamp, out);
    }

    /**
     * Closes the current key's window pending in the state, if it has one: sends what the key
     * should be if there is something to send. Also called at the end of a bounded input
     * ({@link NetListDiffOperator}), when timers no longer fire.
     */
    void closeWindow(ListKey key, long nowMillis, Collector<ListOperation> out) throws Exception {
        ListSyncState s = keys.value();
        if (s == null || !s.hasPending()) {
            return;
        }
        close(key, s, nowMillis, out);
    }

    private void close(ListKey key, ListSyncState s, long nowMillis, Collector<ListOperation> out) throws Exception {
        ListAction action = s.desired();
        if (s.sentBy() == runId && action == s.sent()) {
            s = s.withoutPending();
            collapsed.inc();
        } else {
            long version = Math.max(s.version() + 1, nowMillis);
            out.collect(new ListOperation(key.contactId(), key.listId(), action, s.pendingEventTimeMillis(), version));
            s = s.afterSending(action, version, runId);
            sent.inc();
        }
        if (forgetUnheld && s.holders().isEmpty()) {
            keys.clear();
        } else {
            keys.update(s);
        }
    }
}

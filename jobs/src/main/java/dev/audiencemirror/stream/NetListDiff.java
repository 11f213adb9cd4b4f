package dev.audiencemirror.stream;

import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.listsync.ListSyncState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collapses the requests for one (contact, list) over a short window into at most one
 * {@link ListOperation}. A key's window opens with its first request and closes {@code window}
 * later (processing time); at the close, the latest request of the window is sent if it differs
 * from the last operation sent for the key. A user who enters and leaves within a window
 * therefore costs no call.
 *
 * <p><b>Versions.</b> Each operation sent carries {@code max(last version + 1, processing time in
 * ms)}: strictly increasing per key, which is what the Adestra sink orders by, and still ahead of
 * the versions a lost or expired state had handed out (at most one operation per key per window).
 *
 * <p><b>After a restore</b> the state says what was sent up to the checkpoint, not what went out
 * after it and before the failure. So a key's first window after a restore sends its latest
 * request even if it equals the last operation recorded ({@link ListSyncState#sentBy}); the
 * re-send is idempotent at Adestra.
 *
 * <p>With {@code stream.user-ttl}, a key's state expires after that long without a write; the
 * next request for it is then sent whatever it is (the state is only a memory of what was sent).
 */
final class NetListDiff extends KeyedProcessFunction<ListKey, ListChange, ListOperation> {
    private static final long serialVersionUID = 1L;

    /** State name; part of savepoints together with the operator uid {@code net-list-diff}. */
    static final String STATE = "list-sync";

    private final long windowMillis;
    private final long ttlMillis;

    private transient ValueState<ListSyncState> keys;
    /** This run of this subtask; never 0, which is "nothing sent". */
    private transient long runId;
    private transient Counter sent;
    private transient Counter collapsed;

    NetListDiff(Duration window, Optional<Duration> ttl) {
        this.windowMillis = window.toMillis();
        this.ttlMillis = ttl.map(Duration::toMillis).orElse(0L);
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<ListSyncState> descriptor =
                new ValueStateDescriptor<>(STATE, TypeInformation.of(ListSyncState.class));
        if (ttlMillis > 0) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMillis))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        keys = getRuntimeContext().getState(descriptor);
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        runId = id;
        sent = getRuntimeContext().getMetricGroup().counter("listOperationsSent");
        collapsed = getRuntimeContext().getMetricGroup().counter("windowsWithNothingToSend");
    }

    @Override
    public void processElement(ListChange change, Context ctx, Collector<ListOperation> out) throws Exception {
        ListSyncState s = keys.value();
        if (s == null) {
            s = ListSyncState.EMPTY;
        }
        if (!s.hasPending()) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + windowMillis);
        }
        keys.update(s.withRequest(change.action(), change.eventTimeMillis()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ListOperation> out) throws Exception {
        closeWindow(ctx.getCurrentKey(), timestamp, out);
    }

    /**
     * Closes the current key's window: sends its net request if there is one to send. Also called
     * at the end of a bounded input ({@link NetListDiffOperator}), when timers no longer fire.
     */
    void closeWindow(ListKey key, long nowMillis, Collector<ListOperation> out) throws Exception {
        ListSyncState s = keys.value();
        if (s == null || !s.hasPending()) {
            return;
        }
        if (s.sentBy() == runId && s.pending() == s.sent()) {
            keys.update(s.withoutPending());
            collapsed.inc();
            return;
        }
        long version = Math.max(s.version() + 1, nowMillis);
        out.collect(new ListOperation(key.contactId(), key.listId(), s.pending(), s.pendingEventTimeMillis(), version));
        keys.update(s.afterSending(version, runId));
        sent.inc();
    }
}

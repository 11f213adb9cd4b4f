package dev.audiencemirror.nightly;

import dev.audiencemirror.config.SyncMode;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns one (contact, list) pair's merged flags into the plan: added to the audience → ADD,
 * gone from it → REMOVE, as the sync mode allows; and into the new snapshot's baseline: what the
 * list holds once the plan is applied. Counts per list feed the report and the removal ceiling.
 */
final class ListDiff extends ProcessFunction<PairFlags, String> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<String> BASELINE = new OutputTag<>("baseline-pairs", Types.STRING);

    private final SyncMode mode;
    private final boolean fullResync;
    /** Per list: synced, target, adds, removes; resolved once per list rather than by name per pair. */
    private transient Map<Long, LongCounter[]> counters;

    ListDiff(SyncMode mode, boolean fullResync) {
        this.mode = mode;
        this.fullResync = fullResync;
    }

    static String counter(long listId, String what) {
        return "list." + listId + "." + what;
    }

    private static final int SYNCED = 0;
    private static final int TARGET = 1;
    private static final int ADDS = 2;
    private static final int REMOVES = 3;

    private LongCounter[] listCounters(long list) {
        LongCounter[] c = new LongCounter[4];
        c[SYNCED] = getRuntimeContext().getLongCounter(counter(list, "synced"));
        c[TARGET] = getRuntimeContext().getLongCounter(counter(list, "target"));
        c[ADDS] = getRuntimeContext().getLongCounter(counter(list, "adds"));
        c[REMOVES] = getRuntimeContext().getLongCounter(counter(list, "removes"));
        return c;
    }

    @Override
    public void open(OpenContext context) {
        counters = new HashMap<>();
    }

    @Override
    public void processElement(PairFlags pair, Context ctx, Collector<String> out) {
        long list = pair.listId();
        boolean target = pair.inTarget();
        boolean synced = pair.wasSynced();
        LongCounter[] c = counters.computeIfAbsent(list, this::listCounters);
        if (synced) {
            c[SYNCED].add(1);
        }
        if (target) {
            c[TARGET].add(1);
        }
        boolean add = target && mode.adds() && (!synced || fullResync);
        boolean remove = synced && !target && mode.removes();
        if (add) {
            c[ADDS].add(1);
            out.collect(PlannedOperation.listOperation("ADD", pair.contactId(), list));
        }
        if (remove) {
            c[REMOVES].add(1);
            out.collect(PlannedOperation.listOperation("REMOVE", pair.contactId(), list));
        }
        boolean onListAfter = target ? (synced || mode.adds()) : (synced && !mode.removes());
        if (onListAfter) {
            ctx.output(BASELINE, pair.key());
        }
    }
}

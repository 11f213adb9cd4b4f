package dev.audiencemirror.nightly;

import dev.audiencemirror.config.SyncMode;
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
    private transient Counters counters;

    ListDiff(SyncMode mode, boolean fullResync) {
        this.mode = mode;
        this.fullResync = fullResync;
    }

    static String counter(long listId, String what) {
        return "list." + listId + "." + what;
    }

    @Override
    public void open(OpenContext context) {
        counters = new Counters(getRuntimeContext());
    }

    @Override
    public void processElement(PairFlags pair, Context ctx, Collector<String> out) {
        long list = pair.listId();
        boolean target = pair.inTarget();
        boolean synced = pair.wasSynced();
        if (synced) {
            counters.add(counter(list, "synced"));
        }
        if (target) {
            counters.add(counter(list, "target"));
        }
        boolean add = target && mode.adds() && (!synced || fullResync);
        boolean remove = synced && !target && mode.removes();
        if (add) {
            counters.add(counter(list, "adds"));
            out.collect(PlannedOperation.listOperation("ADD", pair.contactId(), list));
        }
        if (remove) {
            counters.add(counter(list, "removes"));
            out.collect(PlannedOperation.listOperation("REMOVE", pair.contactId(), list));
        }
        boolean onListAfter = target ? (synced || mode.adds()) : (synced && !mode.removes());
        if (onListAfter) {
            ctx.output(BASELINE, pair.key());
        }
    }
}

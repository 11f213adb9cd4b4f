package dev.audiencemirror.nightly;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.files.TaggedLine;
import dev.audiencemirror.listop.ListAction;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each (contact, list) pair's merged flags ({@link ContactFlags}) into the plan and into the new snapshot's
 * baseline (what the list holds once the plan is applied), as the sync mode allows:
 *
 * <ul>
 *   <li>known pairs: added to the audience → ADD, gone from it → REMOVE;
 *   <li>uncertain pairs (an unfinished push or a refused operation may have changed them): the
 *       target state is sent whatever the snapshot says (ADD if in the target, REMOVE if not), and
 *       the baseline records the target, so a later run sends whatever the mode then allows;
 *   <li>held pairs (a user's line could not be read) that no other user targets: nothing is sent
 *       and the baseline keeps what the snapshot had; an uncertain one stays uncertain.
 * </ul>
 *
 * Counts per list feed the report and the removal ceiling, which counts only removals of
 * contacts the snapshot had ({@code retracted} are uncertain ones it did not).
 */
final class ListDiff extends ProcessFunction<ContactFlags, TaggedLine> {
    private static final long serialVersionUID = 1L;


    private static final String[] COUNTS = {"synced", "target", "adds", "removes", "retracted", "held", "uncertain", "resent"};
    private static final int SYNCED = 0;
    private static final int TARGET = 1;
    private static final int ADDS = 2;
    private static final int REMOVES = 3;
    private static final int RETRACTED = 4;
    private static final int HELD = 5;
    private static final int UNCERTAIN = 6;
    /** Adds of pairs the snapshot has as synced, sent again by a full resync. */
    private static final int RESENT = 7;

    private final SyncMode mode;
    private final boolean fullResync;
    /** Per list, the counters above, resolved once per list rather than by name per pair. */
    private transient Map<Long, LongCounter[]> counters;

    ListDiff(SyncMode mode, boolean fullResync) {
        this.mode = mode;
        this.fullResync = fullResync;
    }

    static String counter(long listId, String what) {
        return "list." + listId + "." + what;
    }

    private LongCounter[] listCounters(long list) {
        LongCounter[] c = new LongCounter[COUNTS.length];
        for (int i = 0; i < COUNTS.length; i++) {
            c[i] = getRuntimeContext().getLongCounter(counter(list, COUNTS[i]));
        }
        return c;
    }

    @Override
    public void open(OpenContext context) {
        counters = new HashMap<>();
    }

    @Override
    public void processElement(ContactFlags pairs, Context ctx, Collector<TaggedLine> out) {
        for (int i = 0; i < pairs.size(); i++) {
            decide(pairs, i, ctx, out);
        }
    }

    private void decide(ContactFlags pairs, int i, Context ctx, Collector<TaggedLine> out) {
        String contact = pairs.contactId();
        long list = pairs.listId(i);
        int flags = pairs.flags(i);
        boolean target = (flags & ContactFlags.TARGET) != 0;
        boolean synced = (flags & ContactFlags.SYNCED) != 0;
        boolean uncertain = (flags & ContactFlags.UNCERTAIN) != 0;
        LongCounter[] c = counters.computeIfAbsent(list, this::listCounters);
        if (synced) {
            c[SYNCED].add(1);
        }
        if (target) {
            c[TARGET].add(1);
        }
        if (uncertain) {
            c[UNCERTAIN].add(1);
        }
        if ((flags & ContactFlags.HELD) != 0 && !target) {
            c[HELD].add(1);
            if (synced) {
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.PAIRS, pairs.key(i)));
            }
            if (uncertain) {
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.UNCERTAIN,
                        new PlannedOperation.ListOp(ListAction.REMOVE, contact, list).encode()));
            }
            return;
        }
        boolean add = target && mode.adds() && (!synced || fullResync || uncertain);
        boolean remove = !target && mode.removes() && (synced || uncertain);
        if (add) {
            c[ADDS].add(1);
            if (synced && !uncertain) {
                c[RESENT].add(1);
            }
            out.collect(new TaggedLine(PlanOutputs.LIST_OPS, new PlannedOperation.ListOp(ListAction.ADD, contact, list).encode()));
        }
        if (remove) {
            c[REMOVES].add(1);
            if (!synced) {
                c[RETRACTED].add(1);
            }
            out.collect(new TaggedLine(PlanOutputs.LIST_OPS, new PlannedOperation.ListOp(ListAction.REMOVE, contact, list).encode()));
        }
        boolean onListAfter = uncertain ? target : target ? (synced || mode.adds()) : (synced && !mode.removes());
        if (onListAfter) {
            ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.PAIRS, pairs.key(i)));
        }
    }
}

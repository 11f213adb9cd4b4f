package dev.audiencemirror.nightly;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.files.TaggedLine;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per segment code, in batch mode once all its inputs are in: new → CREATE, changed → UPDATE,
 * gone → DELETE, as the sync mode allows, and the definition the import holds afterwards (the new
 * snapshot's baseline).
 *
 * <ul>
 *   <li>An uncertain code (an unfinished push or a refused row) gets its target state whatever the
 *       snapshot says: CREATE when today has it (the sink turns a 409 into an Update), DELETE when
 *       not (a 404 is done).
 *   <li>A code given more than once: the same definition again is counted as ignored; different
 *       definitions are all rejected (each reject names the other lines) and the code is held, as
 *       for a rejected line that names the code: nothing is sent, the snapshot keeps what it had.
 * </ul>
 */
final class SegmentDiff extends KeyedProcessFunction<String, SegmentInput, TaggedLine> {
    private static final long serialVersionUID = 1L;

    static final String CREATES = "segments.creates";
    static final String UPDATES = "segments.updates";
    static final String DELETES = "segments.deletes";
    static final String SYNCED = "segments.synced";
    static final String HELD = "segments.held";
    /** Updates of codes the snapshot has with today's definition, sent again by a full resync. */
    static final String RESENT = "segments.resent";

    private final SyncMode mode;
    private final boolean fullResync;
    private transient Counters counters;
    private transient ListState<SegmentInput> today;
    private transient ValueState<String> synced;
    private transient ValueState<Boolean> uncertain;
    private transient ValueState<Boolean> held;

    SegmentDiff(SyncMode mode, boolean fullResync) {
        this.mode = mode;
        this.fullResync = fullResync;
    }

    @Override
    public void open(OpenContext context) {
        counters = new Counters(getRuntimeContext());
        today = getRuntimeContext().getListState(new ListStateDescriptor<>("today", TypeInformation.of(SegmentInput.class)));
        synced = getRuntimeContext().getState(new ValueStateDescriptor<>("synced", Types.STRING));
        uncertain = getRuntimeContext().getState(new ValueStateDescriptor<>("uncertain", Types.BOOLEAN));
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("held", Types.BOOLEAN));
    }

    @Override
    public void processElement(SegmentInput in, Context ctx, Collector<TaggedLine> out) throws Exception {
        switch (in.kind()) {
            case SegmentInput.TODAY -> today.add(in);
            case SegmentInput.SYNCED -> synced.update(in.definition());
            case SegmentInput.UNCERTAIN -> uncertain.update(true);
            case SegmentInput.HELD -> held.update(true);
            default -> throw new IllegalStateException("unknown segment input kind " + in.kind());
        }
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TaggedLine> out) throws Exception {
        String code = ctx.getCurrentKey();
        String before = synced.value();
        boolean unknown = Boolean.TRUE.equals(uncertain.value());
        if (before != null) {
            counters.add(SYNCED);
        }
        List<SegmentInput> lines = new ArrayList<>();
        Iterable<SegmentInput> read = today.get();
        if (read != null) {
            read.forEach(lines::add);
        }
        lines.sort(java.util.Comparator.comparing(SegmentInput::source).thenComparingLong(SegmentInput::line));
        Set<String> definitions = new LinkedHashSet<>();
        lines.forEach(l -> definitions.add(l.definition()));
        boolean conflict = definitions.size() > 1;
        if (conflict) {
            rejectConflict(code, lines, out);
        }
        if (conflict || Boolean.TRUE.equals(held.value())) {
            counters.add(HELD);
            if (before != null) {
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.SEGMENTS, SegmentJson.baselineLine(code, before)));
            }
            if (unknown) {
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.UNCERTAIN,
                        new PlannedOperation.SegmentOp(TaxonomyAction.DELETE, code, null).encode()));
            }
            return;
        }
        for (int i = 1; i < lines.size(); i++) {
            counters.add(ParseAndMap.counter("segments", "ignored"));
        }
        String now = definitions.isEmpty() ? null : definitions.iterator().next();
        String after = decide(code, now, before, unknown, out);
        if (after != null) {
            ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.SEGMENTS, SegmentJson.baselineLine(code, after)));
        }
    }

    /** Sends what the mode allows and returns the definition the import holds afterwards (null: none). */
    private String decide(String code, String now, String before, boolean unknown, Collector<TaggedLine> out) {
        if (unknown) {
            // A mode without updates never changed a code the snapshot has: only a Create can be in doubt.
            if (now != null && mode.adds() && (before == null || mode.updates())) {
                send(out, CREATES, TaxonomyAction.CREATE, code, now);
            } else if (now == null && mode.removes()) {
                send(out, DELETES, TaxonomyAction.DELETE, code, null);
            } else if (now != null && before != null) {
                return before;
            }
            return now;
        }
        if (now != null && before == null) {
            if (mode.adds()) {
                send(out, CREATES, TaxonomyAction.CREATE, code, now);
                return now;
            }
            return null;
        }
        if (now != null) {
            // Full resync sends every row again; CREATE on an existing code becomes an UPDATE.
            if ((!now.equals(before) || fullResync) && mode.updates()) {
                if (now.equals(before)) {
                    counters.add(RESENT);
                }
                send(out, UPDATES, TaxonomyAction.UPDATE, code, now);
                return now;
            }
            return before;
        }
        if (before != null && mode.removes()) {
            send(out, DELETES, TaxonomyAction.DELETE, code, null);
            return null;
        }
        return before;
    }

    private void send(Collector<TaggedLine> out, String counter, TaxonomyAction action, String code, String definition) {
        counters.add(counter);
        out.collect(new TaggedLine(PlanOutputs.SEGMENT_OPS, new PlannedOperation.SegmentOp(action, code, definition).encode()));
    }

    private void rejectConflict(String code, List<SegmentInput> lines, Collector<TaggedLine> out) {
        for (SegmentInput l : lines) {
            List<String> others = new ArrayList<>();
            for (SegmentInput o : lines) {
                if (o != l && !o.definition().equals(l.definition())) {
                    others.add(o.source() + ":" + o.line());
                }
            }
            counters.add(ParseAndMap.counter("segments", "rejected"));
            out.collect(PlanOutputs.reject(new ParseError(l.source(), l.line(), "code", "segment code \"" + code
                    + "\" is defined again with a different definition at " + String.join(", ", others)
                    + "; the code is left as it is until one definition remains", l.definition())));
        }
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.config.SyncMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns one segment code's two sides into taxonomy operations: new → CREATE, changed → UPDATE,
 * gone → DELETE, as the sync mode allows, and the definition the import holds afterwards (the
 * new snapshot's baseline).
 */
final class SegmentDiff extends ProcessFunction<SegmentSides, String> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<String> BASELINE = new OutputTag<>("baseline-segments", Types.STRING);
    static final String CREATES = "segments.creates";
    static final String UPDATES = "segments.updates";
    static final String DELETES = "segments.deletes";
    static final String SYNCED = "segments.synced";

    private final SyncMode mode;
    private final boolean fullResync;
    private transient Counters counters;

    SegmentDiff(SyncMode mode, boolean fullResync) {
        this.mode = mode;
        this.fullResync = fullResync;
    }

    @Override
    public void open(OpenContext context) {
        counters = new Counters(getRuntimeContext());
    }

    @Override
    public void processElement(SegmentSides s, Context ctx, Collector<String> out) {
        String after = s.synced();
        if (s.synced() != null) {
            counters.add(SYNCED);
        }
        if (s.today() != null && s.synced() == null) {
            if (mode.adds()) {
                counters.add(CREATES);
                out.collect(PlannedOperation.segmentOperation("CREATE", s.code(), s.today()));
                after = s.today();
            }
        } else if (s.today() != null) {
            // Full resync sends every row again; CREATE on an existing code becomes an UPDATE.
            if ((s.changed() || fullResync) && mode.updates()) {
                counters.add(UPDATES);
                out.collect(PlannedOperation.segmentOperation("UPDATE", s.code(), s.today()));
                after = s.today();
            }
        } else if (mode.removes()) {
            counters.add(DELETES);
            out.collect(PlannedOperation.segmentOperation("DELETE", s.code(), null));
            after = null;
        }
        if (after != null) {
            ctx.output(BASELINE, SegmentJson.baselineLine(s.code(), after));
        }
    }
}

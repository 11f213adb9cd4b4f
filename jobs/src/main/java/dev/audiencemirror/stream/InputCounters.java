package dev.audiencemirror.stream;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters every input of the streaming job has, in the metric group {@code input.<name>}:
 * {@code records} read, {@code rejected} (to the dead-letter output) and {@code ignored} (valid
 * but not for this job). The same counts are accumulators named {@code input.<name>.<count>}, and
 * the last completed checkpoint one too, for the status line ({@link StreamStatus}), which reads
 * them while the job runs.
 */
final class InputCounters {
    static final String RECORDS = "records";
    static final String REJECTED = "rejected";
    static final String IGNORED = "ignored";
    /** Accumulator: the id of the last checkpoint completed (as the parse operators were told). */
    static final String LAST_CHECKPOINT = "checkpoint.lastCompletedId";
    /** Accumulator: when that checkpoint's completion reached them, epoch ms. */
    static final String LAST_CHECKPOINT_AT = "checkpoint.lastCompletedAtMillis";

    private final Counter records;
    private final Counter rejected;
    private final Counter ignored;
    private final LongCounter recordsTotal;
    private final LongCounter rejectedTotal;
    private final LongCounter ignoredTotal;
    private final LongMaximum lastCheckpoint;
    private final LongMaximum lastCheckpointAt;

    InputCounters(RuntimeContext context, String input) {
        MetricGroup group = context.getMetricGroup().addGroup("input", input);
        records = group.counter(RECORDS);
        rejected = group.counter(REJECTED);
        ignored = group.counter(IGNORED);
        recordsTotal = context.getLongCounter(accumulator(input, RECORDS));
        rejectedTotal = context.getLongCounter(accumulator(input, REJECTED));
        ignoredTotal = context.getLongCounter(accumulator(input, IGNORED));
        lastCheckpoint = maximum(context, LAST_CHECKPOINT);
        lastCheckpointAt = maximum(context, LAST_CHECKPOINT_AT);
    }

    static String accumulator(String input, String count) {
        return "input." + input + "." + count;
    }

    private static LongMaximum maximum(RuntimeContext context, String name) {
        // Operators chained into one task share its accumulators.
        Object existing = context.getAccumulator(name);
        if (existing instanceof LongMaximum shared) {
            return shared;
        }
        LongMaximum created = new LongMaximum();
        context.addAccumulator(name, created);
        return created;
    }

    void record() {
        records.inc();
        recordsTotal.add(1);
    }

    void rejected() {
        rejected.inc();
        rejectedTotal.add(1);
    }

    void ignored() {
        ignored.inc();
        ignoredTotal.add(1);
    }

    void checkpointCompleted(long checkpointId) {
        lastCheckpoint.add(checkpointId);
        lastCheckpointAt.add(System.currentTimeMillis());
    }
}

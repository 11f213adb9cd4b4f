package dev.audiencemirror.stream;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A pass-through map that remembers the newest checkpoint the job completed, for tests on a
 * MiniCluster that must show checkpoints went on while something else was stuck. Static: one JVM,
 * one job at a time; {@link #reset} before each job.
 */
final class CheckpointCounter<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger COMPLETED = new AtomicInteger();

    static void reset() {
        COMPLETED.set(0);
    }

    /** The id of the newest checkpoint completed since {@link #reset}, 0 before the first. */
    static int latestCompleted() {
        return COMPLETED.get();
    }

    @Override
    public T map(T value) {
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        COMPLETED.updateAndGet(seen -> Math.max(seen, (int) checkpointId));
    }
}

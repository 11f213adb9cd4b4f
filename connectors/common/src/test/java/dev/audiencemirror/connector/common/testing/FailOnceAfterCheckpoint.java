package dev.audiencemirror.connector.common.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A pass-through map for failover tests on a MiniCluster: throws once, at the first record whose
 * position reaches the armed one, after at least one checkpoint completed, so the job restarts
 * from a checkpoint with work both before and after it. State is static (one JVM, one test at a
 * time): {@link #arm} before each job.
 */
public final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicLong FAIL_AT = new AtomicLong();
    private static final AtomicLong FAILED_AT_MILLIS = new AtomicLong();

    private final SerializableFunction<T, Long> position;

    /** @param position where a record stands in the input, e.g. its version */
    public FailOnceAfterCheckpoint(SerializableFunction<T, Long> position) {
        this.position = position;
    }

    public static void arm(long failAt) {
        FAILED.set(false);
        CHECKPOINTED.set(false);
        FAIL_AT.set(failAt);
        FAILED_AT_MILLIS.set(0);
    }

    /** Whether a checkpoint completed since {@link #arm} (so a test can feed its input only then). */
    public static boolean checkpointed() {
        return CHECKPOINTED.get();
    }

    /** Whether the armed failure happened. */
    public static boolean failed() {
        return FAILED.get();
    }

    /** Wall-clock time of the armed failure, 0 before it: what a test compares a server's log with. */
    public static long failedAtMillis() {
        return FAILED_AT_MILLIS.get();
    }

    @Override
    public T map(T record) {
        long at = position.apply(record);
        if (!FAILED.get() && CHECKPOINTED.get() && at >= FAIL_AT.get()) {
            FAILED_AT_MILLIS.set(System.currentTimeMillis());
            FAILED.set(true);
            throw new IllegalStateException("injected failure at " + at);
        }
        return record;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTED.set(true);
    }
}

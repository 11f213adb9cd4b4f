package dev.audiencemirror.connector.common;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.function.LongSupplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;

/**
 * A gauge (requests in flight, operations pending, …) published as a Flink accumulator, so that
 * the job's client reads its current value while the job runs: accumulators travel to the
 * JobManager with every TaskManager heartbeat and {@code JobClient#getAccumulators} returns them
 * merged over the subtasks, which metrics do not offer. On the task the value is read from the
 * source when the accumulator is serialized, as a metrics reporter reads a gauge; copies hold a
 * fixed value. Subtasks merge by sum (counts) or maximum (ages).
 */
@Internal
public final class GaugeAccumulator implements SimpleAccumulator<Long> {
    private static final long serialVersionUID = 1L;

    private final boolean sum;
    private transient LongSupplier source;
    private long value;

    private GaugeAccumulator(boolean sum, LongSupplier source) {
        this.sum = sum;
        this.source = source;
    }

    /** Subtasks' values add up (e.g. operations pending in all). */
    public static GaugeAccumulator sum(LongSupplier source) {
        return new GaugeAccumulator(true, source);
    }

    /** The largest subtask value wins (e.g. the oldest pending operation's age). */
    public static GaugeAccumulator max(LongSupplier source) {
        return new GaugeAccumulator(false, source);
    }

    @Override
    public Long getLocalValue() {
        LongSupplier s = source;
        if (s != null) {
            try {
                value = s.getAsLong();
            } catch (RuntimeException readWhileChanging) {
                // Read from the heartbeat thread while the task changes what it reads: keep the last value.
            }
        }
        return value;
    }

    @Override
    public void add(Long v) {
        value = combine(getLocalValue(), v);
        source = null;
    }

    @Override
    public void merge(Accumulator<Long, Long> other) {
        add(other.getLocalValue());
    }

    @Override
    public void resetLocal() {
        value = 0;
        source = null;
    }

    @Override
    public GaugeAccumulator clone() {
        GaugeAccumulator copy = new GaugeAccumulator(sum, null);
        copy.value = getLocalValue();
        return copy;
    }

    private long combine(long a, long b) {
        return sum ? a + b : Math.max(a, b);
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        getLocalValue();
        out.defaultWriteObject();
    }

    @Override
    public String toString() {
        return (sum ? "GaugeAccumulator(sum) " : "GaugeAccumulator(max) ") + getLocalValue();
    }
}

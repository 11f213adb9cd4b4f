package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** What a client reads from a gauge published as an accumulator: the value when it was sent, merged over subtasks. */
class GaugeAccumulatorTest {

    @Test
    void aSerializedGaugeCarriesTheSourcesValueAtThatMoment() throws Exception {
        AtomicLong pending = new AtomicLong(7);
        GaugeAccumulator gauge = GaugeAccumulator.sum(pending::get);
        byte[] sent = InstantiationUtil.serializeObject(gauge);
        pending.set(2);
        GaugeAccumulator received = InstantiationUtil.deserializeObject(sent, getClass().getClassLoader());
        assertThat(received.getLocalValue()).isEqualTo(7);
        assertThat(gauge.getLocalValue()).as("the task's gauge follows its source, up and down").isEqualTo(2);
    }

    @Test
    void subtasksAddUpOrTheLargestWins() {
        Accumulator<Long, Long> sum = GaugeAccumulator.sum(() -> 3).clone();
        sum.merge(GaugeAccumulator.sum(() -> 4));
        assertThat(sum.getLocalValue()).isEqualTo(7);
        Accumulator<Long, Long> max = GaugeAccumulator.max(() -> 300).clone();
        max.merge(GaugeAccumulator.max(() -> 40));
        assertThat(max.getLocalValue()).isEqualTo(300);
    }

    @Test
    void aSourceThatFailsWhileReadKeepsTheLastValue() {
        AtomicLong calls = new AtomicLong();
        GaugeAccumulator gauge = GaugeAccumulator.max(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new java.util.ConcurrentModificationException();
            }
            return 5;
        });
        assertThat(gauge.getLocalValue()).isEqualTo(5);
        assertThat(gauge.getLocalValue()).isEqualTo(5);
    }
}

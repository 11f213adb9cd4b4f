package dev.audiencemirror.stream;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters every input of the streaming job has, in the metric group {@code input.<name>}:
 * {@code records} read, {@code rejected} (to the dead-letter output) and {@code ignored} (valid
 * but not for this job).
 */
final class InputCounters {
    final Counter records;
    final Counter rejected;
    final Counter ignored;

    InputCounters(MetricGroup operatorGroup, String input) {
        MetricGroup group = operatorGroup.addGroup("input", input);
        records = group.counter("records");
        rejected = group.counter("rejected");
        ignored = group.counter("ignored");
    }
}

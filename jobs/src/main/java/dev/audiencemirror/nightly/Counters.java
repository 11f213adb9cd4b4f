package dev.audiencemirror.nightly;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;

/** Named accumulators created on first use (per list, per input), cached per task. */
final class Counters {
    private final RuntimeContext context;
    private final Map<String, LongCounter> byName = new HashMap<>();

    Counters(RuntimeContext context) {
        this.context = context;
    }

    void add(String name) {
        byName.computeIfAbsent(name, context::getLongCounter).add(1);
    }
}

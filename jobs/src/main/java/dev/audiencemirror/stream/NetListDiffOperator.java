package dev.audiencemirror.stream;

import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs {@link NetListDiff} and, when its input ends (a bounded run, a test), closes every open
 * window at once: Flink drops pending processing-time timers when a task finishes, and the last
 * changes must not be dropped with them.
 */
final class NetListDiffOperator extends KeyedProcessOperator<ListKey, ListChange, ListOperation>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    NetListDiffOperator(NetListDiff diff) {
        super(diff);
    }

    @Override
    public void endInput() throws Exception {
        List<ListKey> keys;
        KeyedStateBackend<ListKey> backend = getKeyedStateBackend();
        try (Stream<ListKey> all = backend.getKeys(NetListDiff.STATE, VoidNamespace.INSTANCE)) {
            keys = all.toList(); // read first: closing windows writes to the state being iterated
        }
        TimestampedCollector<ListOperation> out = new TimestampedCollector<>(output);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        NetListDiff diff = (NetListDiff) userFunction;
        for (ListKey key : keys) {
            setCurrentKey(key);
            diff.closeWindow(key, now, out);
        }
    }
}

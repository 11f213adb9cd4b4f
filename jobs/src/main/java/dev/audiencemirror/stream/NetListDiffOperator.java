package dev.audiencemirror.stream;

import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs {@link NetListDiff}; when its input ends (a bounded run, a test), closes every open window
 * at once: Flink drops pending processing-time timers when a task finishes, and the last changes
 * must not be dropped with them.
 *
 * <p>Restored from state written before the diff kept holders (no {@link #HOLDERS} marker), the
 * holders are rebuilt by {@link UserMembershipOperator}, which has every user request their lists
 * before it processes anything. Those requests all arrive before the first checkpoint barrier of
 * the run (aligned checkpoints), so until this operator takes its first snapshot no window sends:
 * a contact on a list stays there although another user's request arrived first.
 */
final class NetListDiffOperator extends KeyedProcessOperator<ListKey, ListChange, ListOperation>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Operator state (union list) saying "the holders are complete"; part of savepoints, never renamed. */
    static final String HOLDERS = "holders-complete";

    private transient ListState<Integer> marker;
    private transient boolean migrating;

    NetListDiffOperator(NetListDiff diff) {
        super(diff);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        marker = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(HOLDERS, IntSerializer.INSTANCE));
        migrating = context.isRestored() && !marker.get().iterator().hasNext();
    }

    @Override
    public void open() throws Exception {
        super.open();
        ((NetListDiff) userFunction).holdersComplete(!migrating);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        marker.update(List.of(1));
        if (migrating) {
            migrating = false;
            ((NetListDiff) userFunction).holdersComplete(true);
        }
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

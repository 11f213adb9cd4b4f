package dev.audiencemirror.stream;

import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs {@link NetListDiff} with its windows in memory: requests are collected per (contact, list)
 * for the window's length after the first one, then every key that got any is closed at once
 * ({@link NetListDiff#apply}), so a key's state is read and written once per window whatever its
 * number of requests, and no timer is kept per key. Open windows are closed before every
 * checkpoint barrier, so a checkpoint holds none (and a restore has none to lose), and when the
 * input ends. At most {@link #MAX_OPEN_KEYS} keys are held; more close the window early.
 *
 * <p>Restored from state written before the diff kept holders (no {@link #HOLDERS} marker), the
 * holders are rebuilt by {@link UserMembershipOperator}, which has every user request their lists
 * before it processes anything. Those requests all arrive before the first checkpoint barrier of
 * the run (aligned checkpoints), so until this operator takes its first snapshot requests take
 * {@link NetListDiff}'s state-and-timer path and no window sends: a contact on a list stays there
 * although another user's request arrived first. Windows pending in state (that path, and state
 * of earlier builds with their timers) close when their timer fires or the input ends.
 */
final class NetListDiffOperator extends KeyedProcessOperator<ListKey, ListChange, ListOperation>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Operator state (union list) saying "the holders are complete"; part of savepoints, never renamed. */
    static final String HOLDERS = "holders-complete";

    /** Keys with an open window, per subtask, before it closes early (bounds the memory held). */
    static final int MAX_OPEN_KEYS = 100_000;

    private transient ListState<Integer> marker;
    private transient boolean migrating;
    private transient Map<ListKey, Object> windows;
    private transient boolean closeScheduled;
    private transient TimestampedCollector<ListOperation> sender;

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
        diff().holdersComplete(!migrating);
        windows = new LinkedHashMap<>();
        sender = new TimestampedCollector<>(output);
    }

    /** In-memory windows need no key context per record; the state path does. */
    @Override
    public void setKeyContextElement1(StreamRecord record) throws Exception {
        if (migrating) {
            super.setKeyContextElement1(record);
        }
    }

    @Override
    public void processElement(StreamRecord<ListChange> element) throws Exception {
        if (migrating) {
            super.processElement(element);
            return;
        }
        ListChange change = element.getValue();
        // One request per key is the usual case: kept as is, a list only for more.
        windows.merge(change.key(), change, NetListDiffOperator::append);
        if (!closeScheduled) {
            closeScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + diff().windowMillis(), this::windowEnds);
        }
        if (windows.size() >= MAX_OPEN_KEYS) {
            closeOpenWindows();
        }
    }

    @SuppressWarnings("unchecked")
    private static Object append(Object held, Object next) {
        List<ListChange> all;
        if (held instanceof ListChange one) {
            all = new ArrayList<>(4);
            all.add(one);
        } else {
            all = (List<ListChange>) held;
        }
        all.add((ListChange) next);
        return all;
    }

    private void windowEnds(long time) throws Exception {
        closeScheduled = false;
        closeOpenWindows();
    }

    @SuppressWarnings("unchecked")
    private void closeOpenWindows() throws Exception {
        if (windows.isEmpty()) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        NetListDiff diff = diff();
        sender.eraseTimestamp();
        for (Map.Entry<ListKey, Object> e : windows.entrySet()) {
            setCurrentKey(e.getKey());
            Object held = e.getValue();
            diff.apply(e.getKey(), held instanceof ListChange one ? List.of(one) : (List<ListChange>) held, now, sender);
        }
        windows.clear();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        closeOpenWindows();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        marker.update(List.of(1));
        if (migrating) {
            migrating = false;
            diff().holdersComplete(true);
        }
    }

    @Override
    public void endInput() throws Exception {
        closeOpenWindows();
        List<ListKey> keys;
        KeyedStateBackend<ListKey> backend = getKeyedStateBackend();
        try (Stream<ListKey> all = backend.getKeys(NetListDiff.STATE, VoidNamespace.INSTANCE)) {
            keys = all.toList(); // read first: closing windows writes to the state being iterated
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        NetListDiff diff = diff();
        for (ListKey key : keys) {
            setCurrentKey(key);
            diff.closeWindow(key, now, sender);
        }
    }

    private NetListDiff diff() {
        return (NetListDiff) userFunction;
    }
}

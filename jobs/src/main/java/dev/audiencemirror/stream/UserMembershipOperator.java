package dev.audiencemirror.stream;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListChange;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Runs {@link UserMembership} and migrates state written before the net diff kept the users that
 * hold each (contact, list): restored from such state (no {@link #HOLDERS} marker in it), every
 * user requests their lists once, in {@link #open}, before any record is processed. The diff
 * then knows every holder again ({@link NetListDiffOperator} waits for that before sending).
 */
final class UserMembershipOperator extends KeyedCoProcessOperator<String, PositionedIdentity, MembershipEvent, ListChange> {
    private static final long serialVersionUID = 1L;

    /**
     * Operator state (union list) saying "the diff downstream has every holder": written by every
     * checkpoint of this build, absent from older savepoints. Part of savepoints: never renamed.
     */
    static final String HOLDERS = "holders-asserted";

    private transient ListState<Integer> marker;
    private transient boolean reassert;

    UserMembershipOperator(UserMembership membership) {
        super(membership);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        marker = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(HOLDERS, IntSerializer.INSTANCE));
        reassert = context.isRestored() && !marker.get().iterator().hasNext();
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (!reassert) {
            return;
        }
        UserMembership membership = (UserMembership) userFunction;
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        try (Stream<String> users = backend.getKeys(UserMembership.STATE, VoidNamespace.INSTANCE)) {
            for (String user : (Iterable<String>) users::iterator) {
                setCurrentKey(user);
                membership.reassert(user, getCollector());
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        marker.update(List.of(1));
    }
}

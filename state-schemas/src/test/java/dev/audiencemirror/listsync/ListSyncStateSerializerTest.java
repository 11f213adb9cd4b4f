package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListAction;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ListSyncState}. */
class ListSyncStateSerializerTest extends SerializerTestBase<ListSyncState> {

    @Override
    protected TypeSerializer<ListSyncState> createSerializer() {
        return ListSyncStateSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ListSyncState> getTypeClass() {
        return ListSyncState.class;
    }

    @Override
    protected ListSyncState[] getTestData() {
        return new ListSyncState[] {
            ListSyncState.EMPTY,
            new ListSyncState(ListAction.ADD, 1_764_219_600_000L, -42, null, 0, new TreeSet<>(Set.of("u1"))),
            new ListSyncState(null, 0, 0, ListAction.REMOVE, 1_764_219_600_123L, ListSyncState.NO_HOLDERS),
            new ListSyncState(ListAction.REMOVE, Long.MAX_VALUE, Long.MIN_VALUE, ListAction.ADD, -1,
                    new TreeSet<>(Set.of("u1", "alias:adestra:4711", "x".repeat(300))))
        };
    }
}

package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListAction;
import java.util.List;
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
            new ListSyncState(ListAction.ADD, 1_764_219_600_000L, -42, null, 0, List.of("u1")),
            new ListSyncState(null, 0, 0, ListAction.REMOVE, 1_764_219_600_123L, ListSyncState.NO_HOLDERS),
            new ListSyncState(ListAction.REMOVE, Long.MAX_VALUE, Long.MIN_VALUE, ListAction.ADD, -1,
                    List.of("0f8fad5b-d9cb-469f-a165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950e",
                            "alias:adestra:4711", "u1", "x".repeat(300)))
        };
    }
}

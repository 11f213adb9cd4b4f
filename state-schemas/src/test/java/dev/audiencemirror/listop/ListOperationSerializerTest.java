package dev.audiencemirror.listop;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ListOperation}. */
class ListOperationSerializerTest extends SerializerTestBase<ListOperation> {

    @Override
    protected TypeSerializer<ListOperation> createSerializer() {
        return ListOperationSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ListOperation> getTypeClass() {
        return ListOperation.class;
    }

    @Override
    protected ListOperation[] getTestData() {
        return new ListOperation[] {
            new ListOperation("4711", 678, ListAction.ADD, 1_764_219_600_000L, 1),
            new ListOperation("999999999999999999", Long.MAX_VALUE, ListAction.REMOVE, -1, Long.MAX_VALUE),
            new ListOperation("", 0, ListAction.REMOVE, 0, 0),
            new ListOperation("not-numeric-é", 1, ListAction.ADD, 0, 7)
        };
    }
}

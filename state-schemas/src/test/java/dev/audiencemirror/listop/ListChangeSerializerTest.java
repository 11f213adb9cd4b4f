package dev.audiencemirror.listop;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ListChange}. */
class ListChangeSerializerTest extends SerializerTestBase<ListChange> {

    @Override
    protected TypeSerializer<ListChange> createSerializer() {
        return ListChangeSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ListChange> getTypeClass() {
        return ListChange.class;
    }

    @Override
    protected ListChange[] getTestData() {
        return new ListChange[] {
            new ListChange("4711", 678, "u1", ListAction.ADD, 1_764_219_600_000L),
            new ListChange("999999999999999999", Long.MAX_VALUE, "alias:adestra:4711", ListAction.REMOVE, -1),
            new ListChange("", 0, "", ListAction.REMOVE, 0)
        };
    }
}

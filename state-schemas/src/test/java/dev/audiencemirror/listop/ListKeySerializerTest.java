package dev.audiencemirror.listop;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ListKey}. */
class ListKeySerializerTest extends SerializerTestBase<ListKey> {

    @Override
    protected TypeSerializer<ListKey> createSerializer() {
        return ListKeySerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ListKey> getTypeClass() {
        return ListKey.class;
    }

    @Override
    protected ListKey[] getTestData() {
        return new ListKey[] {
            new ListKey("4711", 678),
            new ListKey("", 0),
            new ListKey("ünïcødé", Long.MIN_VALUE)
        };
    }
}

package dev.audiencemirror.membership;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link MembershipRow}. */
class MembershipRowSerializerTest extends SerializerTestBase<MembershipRow> {

    @Override
    protected TypeSerializer<MembershipRow> createSerializer() {
        return MembershipRowSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<MembershipRow> getTypeClass() {
        return MembershipRow.class;
    }

    @Override
    protected MembershipRow[] getTestData() {
        return new MembershipRow[] {
            new MembershipRow("u1", "1001"),
            new MembershipRow("", ""),
            new MembershipRow("u,\"1\"", "spørts")
        };
    }
}

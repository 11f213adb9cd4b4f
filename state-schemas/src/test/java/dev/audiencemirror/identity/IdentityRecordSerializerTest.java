package dev.audiencemirror.identity;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link IdentityRecord}. */
class IdentityRecordSerializerTest extends SerializerTestBase<IdentityRecord> {

    @Override
    protected TypeSerializer<IdentityRecord> createSerializer() {
        return IdentityRecordSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<IdentityRecord> getTypeClass() {
        return IdentityRecord.class;
    }

    @Override
    protected IdentityRecord[] getTestData() {
        return new IdentityRecord[] {
            new IdentityRecord("u1", List.of(new Alias("adestra", "4711", 0), new Alias("email", "ab", -3)),
                    Instant.parse("2026-11-27T05:00:00.123456789Z")),
            new IdentityRecord("u2", List.of(), Instant.EPOCH),
            new IdentityRecord("ü", List.of(new Alias("t", "i", Integer.MAX_VALUE)), Instant.parse("1969-12-31T23:59:59Z"))
        };
    }
}

package dev.audiencemirror.identity;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link PositionedIdentity}. */
class PositionedIdentitySerializerTest extends SerializerTestBase<PositionedIdentity> {

    @Override
    protected TypeSerializer<PositionedIdentity> createSerializer() {
        return PositionedIdentitySerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<PositionedIdentity> getTypeClass() {
        return PositionedIdentity.class;
    }

    @Override
    protected PositionedIdentity[] getTestData() {
        return new PositionedIdentity[] {
            new PositionedIdentity(new IdentityRecord("u1", List.of(new Alias("adestra", "4711", 0)),
                    Instant.parse("2026-11-27T05:00:00.123456789Z")), "kafka:identities/3", 1234567),
            new PositionedIdentity(new IdentityRecord("u2", List.of(), Instant.EPOCH), "", 0),
            new PositionedIdentity(new IdentityRecord("ü", List.of(), Instant.EPOCH), "identities-2026-11-27.jsonl", -1)
        };
    }
}

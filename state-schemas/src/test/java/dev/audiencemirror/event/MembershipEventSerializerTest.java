package dev.audiencemirror.event;

import java.time.Instant;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link MembershipEvent}. */
class MembershipEventSerializerTest extends SerializerTestBase<MembershipEvent> {

    @Override
    protected TypeSerializer<MembershipEvent> createSerializer() {
        return MembershipEventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<MembershipEvent> getTypeClass() {
        return MembershipEvent.class;
    }

    @Override
    protected MembershipEvent[] getTestData() {
        return new MembershipEvent[] {
            MembershipEvent.forUser("u1", "1001", true, Instant.parse("2026-11-27T05:00:00Z")),
            MembershipEvent.forAlias("adestra", "4711", "sports", false, Instant.parse("2026-11-27T05:00:00.5Z")),
            new MembershipEvent(null, null, null, "s", true, Instant.EPOCH)
        };
    }
}

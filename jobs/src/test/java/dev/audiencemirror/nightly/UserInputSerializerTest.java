package dev.audiencemirror.nightly;

import java.time.Instant;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link UserInput}, every kind. */
class UserInputSerializerTest extends SerializerTestBase<UserInput> {

    @Override
    protected TypeSerializer<UserInput> createSerializer() {
        return UserInputSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<UserInput> getTypeClass() {
        return UserInput.class;
    }

    @Override
    protected UserInput[] getTestData() {
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        return new UserInput[] {
            UserInput.identity(uuid, "4711", Instant.parse("2026-11-27T05:00:00.123456789Z"), "identities.jsonl", 1234567),
            UserInput.identity("u1", null, Instant.EPOCH, "part-2.jsonl", 1),
            UserInput.membership(uuid.toUpperCase(), 678),
            UserInput.previous("alias:adestra:4711", "4711", new long[] {679, 684}),
            UserInput.previous("u5", "4712", new long[0]),
            UserInput.memberships("u6", new long[] {678, 679, 678}),
            UserInput.cohort("ü", "sports"),
            UserInput.handedOff("u2", "news"),
            UserInput.held("u3", UserInput.HELD_IDENTITY),
            UserInput.held("u4", UserInput.HELD_MEMBERSHIP)
        };
    }
}

package dev.audiencemirror.userstate;

import java.time.Instant;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link UserState}. */
class UserStateSerializerTest extends SerializerTestBase<UserState> {

    @Override
    protected TypeSerializer<UserState> createSerializer() {
        return UserStateSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<UserState> getTypeClass() {
        return UserState.class;
    }

    @Override
    protected UserState[] getTestData() {
        TreeMap<String, CohortMark> cohorts = new TreeMap<>();
        cohorts.put("1001", new CohortMark(true, Instant.parse("2026-11-27T05:00:00.123456789Z")));
        cohorts.put("sports-ü", new CohortMark(false, Instant.parse("1969-12-31T23:59:59Z")));
        return new UserState[] {
            UserState.EMPTY,
            new UserState("4711", Instant.parse("2026-11-27T05:00:00Z"), "kafka:identities/3", 77, cohorts, 1_764_219_600_000L, 1_764_219_700_000L, -42),
            new UserState(null, null, null, 0, cohorts, 0, 0),
            new UserState("", Instant.EPOCH, null, -5, new TreeMap<>(), -1, Long.MAX_VALUE)
        };
    }
}

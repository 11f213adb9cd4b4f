package dev.audiencemirror.userstate;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Frozen reader of {@link UserState} format v1: contactId?, has-identity-time (boolean) + identity
 * time (epoch s, nanos), cohort count, per cohort (id, in (boolean), time (epoch s, nanos)),
 * lastActiveMillis, expiryTimerMillis. It had no input position of the identity record: read as
 * none, so a record with the same event time replaces it. Only {@link UserStateSerializer.Snapshot}
 * returns it.
 */
public final class UserStateSerializerV1 extends ImmutableValueSerializer<UserState> {
    private static final long serialVersionUID = 1L;

    static final UserStateSerializerV1 INSTANCE = new UserStateSerializerV1();

    private UserStateSerializerV1() {}

    @Override
    public UserState createInstance() {
        return UserState.EMPTY;
    }

    @Override
    public void serialize(UserState s, DataOutputView out) throws IOException {
        FieldCodec.writeString(s.contactId(), out);
        out.writeBoolean(s.identityTime() != null);
        if (s.identityTime() != null) {
            FieldCodec.writeInstant(s.identityTime(), out);
        }
        out.writeInt(s.cohorts().size());
        for (var e : s.cohorts().entrySet()) {
            FieldCodec.writeString(e.getKey(), out);
            out.writeBoolean(e.getValue().in());
            FieldCodec.writeInstant(e.getValue().time(), out);
        }
        out.writeLong(s.lastActiveMillis());
        out.writeLong(s.expiryTimerMillis());
    }

    @Override
    public UserState deserialize(DataInputView in) throws IOException {
        String contactId = FieldCodec.readString(in);
        Instant identityTime = in.readBoolean() ? FieldCodec.readInstant(in) : null;
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: UserState has " + n + " cohorts");
        }
        TreeMap<String, CohortMark> cohorts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String cohort = FieldCodec.readRequiredString(in, "UserState.cohort");
            boolean isIn = in.readBoolean();
            cohorts.put(cohort, new CohortMark(isIn, FieldCodec.readInstant(in)));
        }
        long lastActive = in.readLong();
        return new UserState(contactId, identityTime, null, 0, cohorts, lastActive, in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
        throw new UnsupportedOperationException("format v1 is read only; UserStateSerializer writes the current format");
    }

    private Object readResolve() {
        return INSTANCE;
    }
}

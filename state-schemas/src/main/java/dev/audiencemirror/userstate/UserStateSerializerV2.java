package dev.audiencemirror.userstate;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Frozen reader of {@link UserState} format v2: v3 without the writing run at the end (read as
 * none, so the first record after the restore re-asserts the user's lists). Only
 * {@link UserStateSerializer.Snapshot} returns it.
 */
public final class UserStateSerializerV2 extends ImmutableValueSerializer<UserState> {
    private static final long serialVersionUID = 1L;

    static final UserStateSerializerV2 INSTANCE = new UserStateSerializerV2();

    private UserStateSerializerV2() {}

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
            FieldCodec.writeString(s.identitySource(), out);
            out.writeLong(s.identityPosition());
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
        Instant identityTime = null;
        String identitySource = null;
        long identityPosition = 0;
        if (in.readBoolean()) {
            identityTime = FieldCodec.readInstant(in);
            identitySource = FieldCodec.readString(in);
            identityPosition = in.readLong();
        }
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
        return new UserState(contactId, identityTime, identitySource, identityPosition, cohorts, lastActive,
                in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
        throw new UnsupportedOperationException("format v2 is read only; UserStateSerializer writes the current format");
    }

    private Object readResolve() {
        return INSTANCE;
    }
}

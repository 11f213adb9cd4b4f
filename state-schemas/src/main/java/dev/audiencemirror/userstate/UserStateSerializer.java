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
 * Serializer of {@link UserState} (keyed state of the streaming job, one per user). Format v3:
 * contactId?, has-identity-time (boolean) + identity time (epoch s, nanos) + identity source? +
 * identity position, cohort count, per cohort (id, in (boolean), time (epoch s, nanos)),
 * lastActiveMillis, expiryTimerMillis, writtenBy. Format v2 ({@link UserStateSerializerV2}) had no
 * writtenBy; v1 ({@link UserStateSerializerV1}) no identity source and position either.
 */
public final class UserStateSerializer extends ImmutableValueSerializer<UserState> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 3;
    public static final UserStateSerializer INSTANCE = new UserStateSerializer();

    private UserStateSerializer() {}

    @Override
    public UserState createInstance() {
        return UserState.EMPTY;
    }

    @Override
    public void serialize(UserState s, DataOutputView out) throws IOException {
        write(s, out, true);
    }

    @Override
    public UserState deserialize(DataInputView in) throws IOException {
        return read(in, true);
    }

    /** Formats v2 and v3: v3 adds the writing run at the end. */
    static void write(UserState s, DataOutputView out, boolean withWriter) throws IOException {
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
        if (withWriter) {
            out.writeLong(s.writtenBy());
        }
    }

    static UserState read(DataInputView in, boolean withWriter) throws IOException {
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
        long expiryTimer = in.readLong();
        return new UserState(contactId, identityTime, identitySource, identityPosition, cohorts, lastActive,
                expiryTimer, withWriter ? in.readLong() : 0);
    }

    @Override
    public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<UserState> {
        public Snapshot() {
            super("UserState", VERSION);
        }

        @Override
        protected TypeSerializer<UserState> serializerForVersion(int version) {
            return switch (version) {
                case 1 -> UserStateSerializerV1.INSTANCE;
                case 2 -> UserStateSerializerV2.INSTANCE;
                case 3 -> INSTANCE;
                default -> null;
            };
        }
    }
}

package dev.audiencemirror.event;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link MembershipEvent} (buffered in state while a user's contact ID is unknown).
 * Format v1: userId?, aliasTag?, aliasId?, segmentId, entry (boolean), time (epoch seconds, nanos);
 * {@code ?} = may be null.
 */
public final class MembershipEventSerializer extends ImmutableValueSerializer<MembershipEvent> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final MembershipEventSerializer INSTANCE = new MembershipEventSerializer();

    private MembershipEventSerializer() {}

    @Override
    public MembershipEvent createInstance() {
        return MembershipEvent.forUser("", "", true, Instant.EPOCH);
    }

    @Override
    public void serialize(MembershipEvent e, DataOutputView out) throws IOException {
        FieldCodec.writeString(e.userId(), out);
        FieldCodec.writeString(e.aliasTag(), out);
        FieldCodec.writeString(e.aliasId(), out);
        FieldCodec.writeString(e.segmentId(), out);
        out.writeBoolean(e.entry());
        FieldCodec.writeInstant(e.time(), out);
    }

    @Override
    public MembershipEvent deserialize(DataInputView in) throws IOException {
        String userId = FieldCodec.readString(in);
        String aliasTag = FieldCodec.readString(in);
        String aliasId = FieldCodec.readString(in);
        String segmentId = FieldCodec.readRequiredString(in, "MembershipEvent.segmentId");
        boolean entry = in.readBoolean();
        return new MembershipEvent(userId, aliasTag, aliasId, segmentId, entry, FieldCodec.readInstant(in));
    }

    @Override
    public TypeSerializerSnapshot<MembershipEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<MembershipEvent> {
        public Snapshot() {
            super("MembershipEvent", VERSION);
        }

        @Override
        protected TypeSerializer<MembershipEvent> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

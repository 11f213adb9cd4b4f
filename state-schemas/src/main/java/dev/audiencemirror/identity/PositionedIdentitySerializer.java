package dev.audiencemirror.identity;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link PositionedIdentity} (in flight between the streaming job's identity parser
 * and its per-user stage). Format v1: source, position, then the record in
 * {@link IdentityRecordSerializer} format v1 ({@link #EMBEDDED_IDENTITY_VERSION}).
 */
public final class PositionedIdentitySerializer extends ImmutableValueSerializer<PositionedIdentity> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    /** The IdentityRecord format embedded in this one: a new IdentityRecord format is a new format here too. */
    public static final int EMBEDDED_IDENTITY_VERSION = 1;
    public static final PositionedIdentitySerializer INSTANCE = new PositionedIdentitySerializer();

    private PositionedIdentitySerializer() {}

    @Override
    public PositionedIdentity createInstance() {
        return new PositionedIdentity(new IdentityRecord("", List.of(), Instant.EPOCH), "", 0);
    }

    @Override
    public void serialize(PositionedIdentity p, DataOutputView out) throws IOException {
        FieldCodec.writeString(p.source(), out);
        out.writeLong(p.position());
        IdentityRecordSerializer.INSTANCE.serialize(p.record(), out);
    }

    @Override
    public PositionedIdentity deserialize(DataInputView in) throws IOException {
        String source = FieldCodec.readRequiredString(in, "PositionedIdentity.source");
        long position = in.readLong();
        return new PositionedIdentity(IdentityRecordSerializer.INSTANCE.deserialize(in), source, position);
    }

    @Override
    public TypeSerializerSnapshot<PositionedIdentity> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<PositionedIdentity> {
        public Snapshot() {
            super("PositionedIdentity", VERSION);
        }

        @Override
        protected TypeSerializer<PositionedIdentity> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

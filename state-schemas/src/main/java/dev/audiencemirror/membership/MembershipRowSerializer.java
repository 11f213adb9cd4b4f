package dev.audiencemirror.membership;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializer of {@link MembershipRow}. Format v1: userId, cohort. */
public final class MembershipRowSerializer extends ImmutableValueSerializer<MembershipRow> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final MembershipRowSerializer INSTANCE = new MembershipRowSerializer();

    private MembershipRowSerializer() {}

    @Override
    public MembershipRow createInstance() {
        return new MembershipRow("", "");
    }

    @Override
    public void serialize(MembershipRow r, DataOutputView out) throws IOException {
        FieldCodec.writeString(r.userId(), out);
        FieldCodec.writeString(r.cohort(), out);
    }

    @Override
    public MembershipRow deserialize(DataInputView in) throws IOException {
        return new MembershipRow(
                FieldCodec.readRequiredString(in, "MembershipRow.userId"),
                FieldCodec.readRequiredString(in, "MembershipRow.cohort"));
    }

    @Override
    public TypeSerializerSnapshot<MembershipRow> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<MembershipRow> {
        public Snapshot() {
            super("MembershipRow", VERSION);
        }

        @Override
        protected TypeSerializer<MembershipRow> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

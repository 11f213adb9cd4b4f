package dev.audiencemirror.taxonomyop;

import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.segment.SegmentDefinitionSerializer;
import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link TaxonomyOperation}. Format v1: action (byte: 1 CREATE, 2 UPDATE,
 * 3 DELETE), code, version, data present (boolean) then data in {@link SegmentDefinition} format
 * v{@value #EMBEDDED_SEGMENT_VERSION}.
 */
public final class TaxonomyOperationSerializer extends ImmutableValueSerializer<TaxonomyOperation> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    /**
     * The SegmentDefinition format inside this one. When SegmentDefinition's format changes,
     * this format changes too: bump {@link #VERSION} and keep a reader for the old pair.
     */
    public static final int EMBEDDED_SEGMENT_VERSION = 1;

    public static final TaxonomyOperationSerializer INSTANCE = new TaxonomyOperationSerializer();

    private TaxonomyOperationSerializer() {}

    @Override
    public TaxonomyOperation createInstance() {
        return TaxonomyOperation.delete("", 0);
    }

    @Override
    public void serialize(TaxonomyOperation op, DataOutputView out) throws IOException {
        out.writeByte(switch (op.action()) {
            case CREATE -> 1;
            case UPDATE -> 2;
            case DELETE -> 3;
        });
        FieldCodec.writeString(op.code(), out);
        out.writeLong(op.version());
        out.writeBoolean(op.data() != null);
        if (op.data() != null) {
            SegmentDefinitionSerializer.INSTANCE.serialize(op.data(), out);
        }
    }

    @Override
    public TaxonomyOperation deserialize(DataInputView in) throws IOException {
        byte code = in.readByte();
        TaxonomyAction action = switch (code) {
            case 1 -> TaxonomyAction.CREATE;
            case 2 -> TaxonomyAction.UPDATE;
            case 3 -> TaxonomyAction.DELETE;
            default -> throw new IOException("corrupt state: unknown TaxonomyAction code " + code);
        };
        String segmentCode = FieldCodec.readRequiredString(in, "TaxonomyOperation.code");
        long version = in.readLong();
        SegmentDefinition data = in.readBoolean() ? SegmentDefinitionSerializer.INSTANCE.deserialize(in) : null;
        return new TaxonomyOperation(action, segmentCode, data, version);
    }

    @Override
    public TypeSerializerSnapshot<TaxonomyOperation> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<TaxonomyOperation> {
        public Snapshot() {
            super("TaxonomyOperation", VERSION);
        }

        @Override
        protected TypeSerializer<TaxonomyOperation> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

package dev.audiencemirror.segment;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link SegmentDefinition}. Format v1: code, name, description?, cpm (boolean
 * present + double), categories (count, -1 for absent, then each string); {@code ?} = may be null.
 * Also embedded in {@code TaxonomyOperation}'s format: a change here is a change there too.
 */
public final class SegmentDefinitionSerializer extends ImmutableValueSerializer<SegmentDefinition> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final SegmentDefinitionSerializer INSTANCE = new SegmentDefinitionSerializer();

    private SegmentDefinitionSerializer() {}

    @Override
    public SegmentDefinition createInstance() {
        return new SegmentDefinition("", "", null, null, null);
    }

    @Override
    public void serialize(SegmentDefinition s, DataOutputView out) throws IOException {
        FieldCodec.writeString(s.code(), out);
        FieldCodec.writeString(s.name(), out);
        FieldCodec.writeString(s.description(), out);
        out.writeBoolean(s.cpm() != null);
        if (s.cpm() != null) {
            out.writeDouble(s.cpm());
        }
        if (s.categories() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(s.categories().size());
            for (String c : s.categories()) {
                FieldCodec.writeString(c, out);
            }
        }
    }

    @Override
    public SegmentDefinition deserialize(DataInputView in) throws IOException {
        String code = FieldCodec.readRequiredString(in, "SegmentDefinition.code");
        String name = FieldCodec.readRequiredString(in, "SegmentDefinition.name");
        String description = FieldCodec.readString(in);
        Double cpm = in.readBoolean() ? in.readDouble() : null;
        int n = in.readInt();
        if (n < -1) {
            throw new IOException("corrupt state: SegmentDefinition has " + n + " categories");
        }
        List<String> categories = null;
        if (n >= 0) {
            categories = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                categories.add(FieldCodec.readRequiredString(in, "SegmentDefinition.categories[" + i + "]"));
            }
        }
        return new SegmentDefinition(code, name, description, cpm, categories);
    }

    @Override
    public TypeSerializerSnapshot<SegmentDefinition> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<SegmentDefinition> {
        public Snapshot() {
            super("SegmentDefinition", VERSION);
        }

        @Override
        protected TypeSerializer<SegmentDefinition> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

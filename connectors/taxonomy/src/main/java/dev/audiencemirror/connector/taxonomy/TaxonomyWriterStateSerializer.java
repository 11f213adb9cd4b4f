package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.Utf8;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import dev.audiencemirror.taxonomyop.TaxonomyOperationSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writer state in checkpoints and savepoints. Version 3: version 2's operations, then a count and
 * per refused code its {@link Utf8} code and the refused version (long). Version 2 (still read): a count, then each operation as
 * {@link TaxonomyOperationSerializer} lays it out (the segment as {@code SegmentDefinitionSerializer}
 * does): one layout per type, whoever stores it. Version 1 (frozen, still read): a count, then per
 * operation the action (0 CREATE, 1 UPDATE, 2 DELETE), code, version, and for CREATE/UPDATE the
 * segment: code, name, description (flag + text), cpm (flag + double), categories (count, -1 for
 * none, + texts), strings as {@link Utf8}.
 */
@Internal
public final class TaxonomyWriterStateSerializer implements SimpleVersionedSerializer<TaxonomyWriterState> {
    static final int VERSION = 3;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(TaxonomyWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16 + 96 * state.pending().size());
        out.writeInt(state.pending().size());
        for (TaxonomyOperation op : state.pending()) {
            TaxonomyOperationSerializer.INSTANCE.serialize(op, out);
        }
        out.writeInt(state.refusedVersions().size());
        for (var e : new java.util.TreeMap<>(state.refusedVersions()).entrySet()) {
            Utf8.write(out, e.getKey());
            out.writeLong(e.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public TaxonomyWriterState deserialize(int version, byte[] bytes) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException("Taxonomy writer state version " + version + " is unknown to this build (it reads 1 to "
                    + VERSION + "); restore with the version that wrote the savepoint, or drain it first");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt Taxonomy writer state: negative count " + n);
        }
        List<TaxonomyOperation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(version == 1 ? readV1(in) : TaxonomyOperationSerializer.INSTANCE.deserialize(in));
        }
        java.util.Map<String, Long> refused = new java.util.HashMap<>();
        if (version >= 3) {
            int r = in.readInt();
            if (r < 0) {
                throw new IOException("corrupt Taxonomy writer state: negative count " + r + " of refused codes");
            }
            for (int i = 0; i < r; i++) {
                refused.put(Utf8.read(in), in.readLong());
            }
        }
        return new TaxonomyWriterState(ops, refused);
    }

    private static TaxonomyOperation readV1(DataInputDeserializer in) throws IOException {
        byte a = in.readByte();
        TaxonomyAction action = switch (a) {
            case 0 -> TaxonomyAction.CREATE;
            case 1 -> TaxonomyAction.UPDATE;
            case 2 -> TaxonomyAction.DELETE;
            default -> throw new IOException("corrupt Taxonomy writer state: action code " + a);
        };
        String code = Utf8.read(in);
        long opVersion = in.readLong();
        SegmentDefinition data = action == TaxonomyAction.DELETE ? null : readSegmentV1(in);
        return new TaxonomyOperation(action, code, data, opVersion);
    }

    private static SegmentDefinition readSegmentV1(DataInputDeserializer in) throws IOException {
        String code = Utf8.read(in);
        String name = Utf8.read(in);
        String description = in.readBoolean() ? Utf8.read(in) : null;
        Double cpm = in.readBoolean() ? in.readDouble() : null;
        int n = in.readInt();
        List<String> categories = null;
        if (n >= 0) {
            categories = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                categories.add(Utf8.read(in));
            }
        } else if (n != -1) {
            throw new IOException("corrupt Taxonomy writer state: category count " + n);
        }
        return new SegmentDefinition(code, name, description, cpm, categories);
    }
}

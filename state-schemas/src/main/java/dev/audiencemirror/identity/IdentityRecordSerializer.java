package dev.audiencemirror.identity;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link IdentityRecord} (held in keyed state per user).
 * Format v1: userId, alias count, per alias (tag, id, priority), time (epoch seconds, nanos).
 */
public final class IdentityRecordSerializer extends ImmutableValueSerializer<IdentityRecord> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final IdentityRecordSerializer INSTANCE = new IdentityRecordSerializer();

    private IdentityRecordSerializer() {}

    @Override
    public IdentityRecord createInstance() {
        return new IdentityRecord("", List.of(), Instant.EPOCH);
    }

    @Override
    public void serialize(IdentityRecord r, DataOutputView out) throws IOException {
        FieldCodec.writeString(r.userId(), out);
        out.writeInt(r.aliases().size());
        for (Alias a : r.aliases()) {
            FieldCodec.writeString(a.tag(), out);
            FieldCodec.writeString(a.id(), out);
            out.writeInt(a.priority());
        }
        FieldCodec.writeInstant(r.time(), out);
    }

    @Override
    public IdentityRecord deserialize(DataInputView in) throws IOException {
        String userId = FieldCodec.readRequiredString(in, "IdentityRecord.userId");
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: IdentityRecord has " + n + " aliases");
        }
        List<Alias> aliases = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            String tag = FieldCodec.readRequiredString(in, "Alias.tag");
            String id = FieldCodec.readRequiredString(in, "Alias.id");
            aliases.add(new Alias(tag, id, in.readInt()));
        }
        return new IdentityRecord(userId, aliases, FieldCodec.readInstant(in));
    }

    @Override
    public TypeSerializerSnapshot<IdentityRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<IdentityRecord> {
        public Snapshot() {
            super("IdentityRecord", VERSION);
        }

        @Override
        protected TypeSerializer<IdentityRecord> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

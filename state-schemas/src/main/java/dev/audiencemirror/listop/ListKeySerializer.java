package dev.audiencemirror.listop;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializer of {@link ListKey} (a state key). Format v1: contactId, listId. */
public final class ListKeySerializer extends ImmutableValueSerializer<ListKey> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final ListKeySerializer INSTANCE = new ListKeySerializer();

    private ListKeySerializer() {}

    @Override
    public ListKey createInstance() {
        return new ListKey("", 0);
    }

    @Override
    public void serialize(ListKey key, DataOutputView out) throws IOException {
        FieldCodec.writeString(key.contactId(), out);
        out.writeLong(key.listId());
    }

    @Override
    public ListKey deserialize(DataInputView in) throws IOException {
        return new ListKey(FieldCodec.readRequiredString(in, "ListKey.contactId"), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<ListKey> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<ListKey> {
        public Snapshot() {
            super("ListKey", VERSION);
        }

        @Override
        protected TypeSerializer<ListKey> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

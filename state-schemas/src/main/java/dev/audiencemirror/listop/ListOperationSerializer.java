package dev.audiencemirror.listop;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ListOperation}. Format v1: contactId, listId, action (byte: 1 ADD,
 * 2 REMOVE; explicit codes so reordering the enum cannot change stored meaning),
 * eventTimeMillis, version.
 */
public final class ListOperationSerializer extends ImmutableValueSerializer<ListOperation> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final ListOperationSerializer INSTANCE = new ListOperationSerializer();

    private ListOperationSerializer() {}

    @Override
    public ListOperation createInstance() {
        return new ListOperation("", 0, ListAction.ADD, 0, 0);
    }

    @Override
    public void serialize(ListOperation op, DataOutputView out) throws IOException {
        FieldCodec.writeString(op.contactId(), out);
        out.writeLong(op.listId());
        out.writeByte(op.action() == ListAction.ADD ? 1 : 2);
        out.writeLong(op.eventTimeMillis());
        out.writeLong(op.version());
    }

    @Override
    public ListOperation deserialize(DataInputView in) throws IOException {
        String contactId = FieldCodec.readRequiredString(in, "ListOperation.contactId");
        long listId = in.readLong();
        byte code = in.readByte();
        ListAction action = switch (code) {
            case 1 -> ListAction.ADD;
            case 2 -> ListAction.REMOVE;
            default -> throw new IOException("corrupt state: unknown ListAction code " + code);
        };
        return new ListOperation(contactId, listId, action, in.readLong(), in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<ListOperation> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<ListOperation> {
        public Snapshot() {
            super("ListOperation", VERSION);
        }

        @Override
        protected TypeSerializer<ListOperation> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

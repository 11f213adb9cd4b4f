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
 * Serializer of {@link ListOperation}. Format v1: contactId, listId, action ({@link ListActionCodes}),
 * eventTimeMillis, version. Also what the Adestra sink's writer state holds per operation.
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
        out.writeByte(ListActionCodes.code(op.action()));
        out.writeLong(op.eventTimeMillis());
        out.writeLong(op.version());
    }

    @Override
    public ListOperation deserialize(DataInputView in) throws IOException {
        String contactId = FieldCodec.readRequiredString(in, "ListOperation.contactId");
        long listId = in.readLong();
        ListAction action = ListActionCodes.action(in.readByte());
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

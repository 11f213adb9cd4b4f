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
 * Serializer of {@link ListChange} (between the per-user and the per-(contact, list) stages of
 * the streaming job; in flight only, never in keyed state). Format v2: contactId, listId, userKey,
 * action (byte: 1 ADD, 2 REMOVE, as {@link ListOperationSerializer}), eventTimeMillis. Format v1
 * ({@link ListChangeSerializerV1}) had no userKey.
 */
public final class ListChangeSerializer extends ImmutableValueSerializer<ListChange> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 2;
    public static final ListChangeSerializer INSTANCE = new ListChangeSerializer();

    private ListChangeSerializer() {}

    @Override
    public ListChange createInstance() {
        return new ListChange("", 0, "", ListAction.ADD, 0);
    }

    @Override
    public void serialize(ListChange c, DataOutputView out) throws IOException {
        FieldCodec.writeString(c.contactId(), out);
        out.writeLong(c.listId());
        FieldCodec.writeString(c.userKey(), out);
        out.writeByte(ListActionCodes.code(c.action()));
        out.writeLong(c.eventTimeMillis());
    }

    @Override
    public ListChange deserialize(DataInputView in) throws IOException {
        String contactId = FieldCodec.readRequiredString(in, "ListChange.contactId");
        long listId = in.readLong();
        String userKey = FieldCodec.readRequiredString(in, "ListChange.userKey");
        ListAction action = ListActionCodes.action(in.readByte());
        return new ListChange(contactId, listId, userKey, action, in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<ListChange> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<ListChange> {
        public Snapshot() {
            super("ListChange", VERSION);
        }

        @Override
        protected TypeSerializer<ListChange> serializerForVersion(int version) {
            return switch (version) {
                case 1 -> ListChangeSerializerV1.INSTANCE;
                case 2 -> INSTANCE;
                default -> null;
            };
        }
    }
}

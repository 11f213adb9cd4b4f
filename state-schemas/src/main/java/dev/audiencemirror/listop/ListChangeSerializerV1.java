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
 * Frozen reader of {@link ListChange} format v1 (contactId, listId, action, eventTimeMillis), from
 * before requests named their user: such a request is read with an empty user key. Only
 * {@link ListChangeSerializer.Snapshot} returns it.
 */
public final class ListChangeSerializerV1 extends ImmutableValueSerializer<ListChange> {
    private static final long serialVersionUID = 1L;

    static final ListChangeSerializerV1 INSTANCE = new ListChangeSerializerV1();

    private ListChangeSerializerV1() {}

    @Override
    public ListChange createInstance() {
        return new ListChange("", 0, "", ListAction.ADD, 0);
    }

    @Override
    public void serialize(ListChange c, DataOutputView out) throws IOException {
        FieldCodec.writeString(c.contactId(), out);
        out.writeLong(c.listId());
        out.writeByte(ListActionCodes.code(c.action()));
        out.writeLong(c.eventTimeMillis());
    }

    @Override
    public ListChange deserialize(DataInputView in) throws IOException {
        String contactId = FieldCodec.readRequiredString(in, "ListChange.contactId");
        long listId = in.readLong();
        ListAction action = ListActionCodes.action(in.readByte());
        return new ListChange(contactId, listId, "", action, in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<ListChange> snapshotConfiguration() {
        throw new UnsupportedOperationException("format v1 is read only; ListChangeSerializer writes the current format");
    }

    private Object readResolve() {
        return INSTANCE;
    }
}

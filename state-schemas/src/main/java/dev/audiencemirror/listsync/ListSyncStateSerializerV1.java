package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListActionCodes;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Frozen reader of {@link ListSyncState} format v1: sent (byte: 0 none, 1 ADD, 2 REMOVE), version,
 * sentBy, pending (byte, as sent), pendingEventTimeMillis: 26 bytes, from before the state knew
 * which users hold the contact. Read with no holders: the per-user stage re-asserts every user's
 * lists when it is restored from such state (see the streaming job's savepoint migration). Only
 * {@link ListSyncStateSerializer.Snapshot} returns it.
 */
public final class ListSyncStateSerializerV1 extends ImmutableValueSerializer<ListSyncState> {
    private static final long serialVersionUID = 1L;

    static final ListSyncStateSerializerV1 INSTANCE = new ListSyncStateSerializerV1();

    private ListSyncStateSerializerV1() {}

    @Override
    public ListSyncState createInstance() {
        return ListSyncState.EMPTY;
    }

    @Override
    public void serialize(ListSyncState s, DataOutputView out) throws IOException {
        out.writeByte(ListActionCodes.code(s.sent()));
        out.writeLong(s.version());
        out.writeLong(s.sentBy());
        out.writeByte(ListActionCodes.code(s.pending()));
        out.writeLong(s.pendingEventTimeMillis());
    }

    @Override
    public ListSyncState deserialize(DataInputView in) throws IOException {
        var sent = ListActionCodes.nullableAction(in.readByte());
        long version = in.readLong();
        long sentBy = in.readLong();
        var pending = ListActionCodes.nullableAction(in.readByte());
        return new ListSyncState(sent, version, sentBy, pending, in.readLong(), ListSyncState.NO_HOLDERS);
    }

    @Override
    public TypeSerializerSnapshot<ListSyncState> snapshotConfiguration() {
        throw new UnsupportedOperationException("format v1 is read only; ListSyncStateSerializer writes the current format");
    }

    private Object readResolve() {
        return INSTANCE;
    }
}

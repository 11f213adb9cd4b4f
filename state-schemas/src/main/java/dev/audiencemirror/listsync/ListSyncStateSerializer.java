package dev.audiencemirror.listsync;

import dev.audiencemirror.listop.ListActionCodes;
import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ListSyncState} (keyed state of the streaming job's net diff, one per
 * (contact, list)). Format v2: sent (byte: 0 none, 1 ADD, 2 REMOVE), version, sentBy, pending
 * (byte, as sent), pendingEventTimeMillis, holder count (7 bits a byte), holders (sorted user keys,
 * each as {@link FieldCodec#writeUserKey}): 27 bytes plus 17 per Permutive user ID. Format v1 ({@link ListSyncStateSerializerV1}) had no holders.
 */
public final class ListSyncStateSerializer extends ImmutableValueSerializer<ListSyncState> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 2;
    public static final ListSyncStateSerializer INSTANCE = new ListSyncStateSerializer();

    private ListSyncStateSerializer() {}

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
        FieldCodec.writeCount(s.holders().size(), out);
        for (String user : s.holders()) {
            FieldCodec.writeUserKey(user, out);
        }
    }

    @Override
    public ListSyncState deserialize(DataInputView in) throws IOException {
        var sent = ListActionCodes.nullableAction(in.readByte());
        long version = in.readLong();
        long sentBy = in.readLong();
        var pending = ListActionCodes.nullableAction(in.readByte());
        long pendingEventTime = in.readLong();
        int n = FieldCodec.readCount(in, "ListSyncState.holders");
        String[] holders = new String[n];
        for (int i = 0; i < n; i++) {
            holders[i] = FieldCodec.readUserKey(in, "ListSyncState.holder");
        }
        return new ListSyncState(sent, version, sentBy, pending, pendingEventTime, List.of(holders));
    }

    @Override
    public TypeSerializerSnapshot<ListSyncState> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<ListSyncState> {
        public Snapshot() {
            super("ListSyncState", VERSION);
        }

        @Override
        protected TypeSerializer<ListSyncState> serializerForVersion(int version) {
            return switch (version) {
                case 1 -> ListSyncStateSerializerV1.INSTANCE;
                case 2 -> INSTANCE;
                default -> null;
            };
        }
    }
}

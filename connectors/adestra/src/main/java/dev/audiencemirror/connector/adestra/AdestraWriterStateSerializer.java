package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.Utf8;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.listop.ListOperationSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writer state in checkpoints and savepoints (empty since the keyed sender holds the
 * unacknowledged operations; a 0.1 savepoint's are read and dead-lettered). Version 2: a count,
 * then each operation as {@link ListOperationSerializer} lays it out. Version 1 (frozen, still
 * read): a count, then per operation contact ID ({@link Utf8}), list ID, action (0 ADD,
 * 1 REMOVE), event time, version.
 */
@Internal
public final class AdestraWriterStateSerializer implements SimpleVersionedSerializer<AdestraWriterState> {
    static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(AdestraWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16 + 40 * state.pending().size());
        out.writeInt(state.pending().size());
        for (ListOperation op : state.pending()) {
            ListOperationSerializer.INSTANCE.serialize(op, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public AdestraWriterState deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("Adestra writer state version " + version + " is unknown to this build (it reads 1 to "
                    + VERSION + "); restore with the version that wrote the savepoint, or drain it first");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt Adestra writer state: negative count " + n);
        }
        List<ListOperation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(version == 1 ? readV1(in) : ListOperationSerializer.INSTANCE.deserialize(in));
        }
        return new AdestraWriterState(ops);
    }

    private static ListOperation readV1(DataInputDeserializer in) throws IOException {
        String contact = Utf8.read(in);
        long list = in.readLong();
        byte action = in.readByte();
        if (action != 0 && action != 1) {
            throw new IOException("corrupt Adestra writer state: action code " + action);
        }
        return new ListOperation(contact, list, action == 0 ? ListAction.ADD : ListAction.REMOVE, in.readLong(), in.readLong());
    }
}

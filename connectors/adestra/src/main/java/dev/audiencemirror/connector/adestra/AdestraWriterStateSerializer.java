package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.Utf8;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writer state in checkpoints and savepoints. Version 1: a count, then per operation contact ID,
 * list ID, action (0 ADD, 1 REMOVE), event time, version. A new layout gets a new version and this
 * class keeps reading the old ones.
 */
public final class AdestraWriterStateSerializer implements SimpleVersionedSerializer<AdestraWriterState> {
    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(AdestraWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16 + 40 * state.pending().size());
        out.writeInt(state.pending().size());
        for (ListOperation op : state.pending()) {
            Utf8.write(out, op.contactId());
            out.writeLong(op.listId());
            out.writeByte(op.action() == ListAction.ADD ? 0 : 1);
            out.writeLong(op.eventTimeMillis());
            out.writeLong(op.version());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public AdestraWriterState deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("Adestra writer state version " + version + " is unknown to this build (it reads "
                    + VERSION + "); restore with the version that wrote the savepoint, or drain it first");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        List<ListOperation> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String contact = Utf8.read(in);
            long list = in.readLong();
            byte action = in.readByte();
            if (action != 0 && action != 1) {
                throw new IOException("corrupt Adestra writer state: action code " + action);
            }
            ops.add(new ListOperation(contact, list, action == 0 ? ListAction.ADD : ListAction.REMOVE, in.readLong(), in.readLong()));
        }
        return new AdestraWriterState(ops);
    }
}

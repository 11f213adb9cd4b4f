package dev.audiencemirror.files;

import java.io.IOException;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 1: id, path, offset, length, modification time, file size, first line, then the reader
 * position if there is one (its offset and the records after it). A line range has no hosts.
 */
public final class LineRangeSplitSerializer implements SimpleVersionedSerializer<LineRangeSplit> {
    public static final LineRangeSplitSerializer INSTANCE = new LineRangeSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LineRangeSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(split.splitId());
        Path.serializeToDataOutputView(split.path(), out);
        out.writeLong(split.offset());
        out.writeLong(split.length());
        out.writeLong(split.fileModificationTime());
        out.writeLong(split.fileSize());
        out.writeLong(split.firstLine());
        CheckpointedPosition position = split.getReaderPosition().orElse(null);
        out.writeBoolean(position != null);
        if (position != null) {
            out.writeLong(position.getOffset());
            out.writeLong(position.getRecordsAfterOffset());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public LineRangeSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown version of a line range split: " + version + " (this code reads " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String id = in.readUTF();
        Path path = Path.deserializeFromDataInputView(in);
        long offset = in.readLong();
        long length = in.readLong();
        long modified = in.readLong();
        long size = in.readLong();
        long firstLine = in.readLong();
        CheckpointedPosition position = in.readBoolean() ? new CheckpointedPosition(in.readLong(), in.readLong()) : null;
        return new LineRangeSplit(id, path, offset, length, modified, size, firstLine, position);
    }
}

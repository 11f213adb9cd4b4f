package dev.audiencemirror.connector.common;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Dead letters travel from the sink writers to the dead-letter output as committables, so they sit
 * in checkpoints: versioned. Version 1: destination, key, operation, status, reason, attempts,
 * time.
 */
public final class DeadLetterSerializer implements SimpleVersionedSerializer<DeadLetter> {
    public static final DeadLetterSerializer INSTANCE = new DeadLetterSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DeadLetter d) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        Utf8.write(out, d.destination());
        Utf8.write(out, d.key());
        Utf8.write(out, d.operation());
        out.writeInt(d.status());
        Utf8.write(out, d.reason());
        out.writeInt(d.attempts());
        out.writeLong(d.timeMillis());
        return out.getCopyOfBuffer();
    }

    @Override
    public DeadLetter deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown dead-letter serializer version " + version + " (this build reads " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return new DeadLetter(Utf8.read(in), Utf8.read(in), Utf8.read(in), in.readInt(), Utf8.read(in), in.readInt(), in.readLong());
    }
}

package dev.audiencemirror.connector.common;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * Dead letters travel from the sink writers to the dead-letter output as committables, so they sit
 * in checkpoints: versioned. Version 2: destination, key, operation, status, reason, attempts,
 * time, strings in Flink's own encoding ({@link StringValue}), as the state serializers write
 * them. Version 1 (frozen, still read): the same fields, strings as {@link Utf8}.
 */
@Internal
public final class DeadLetterSerializer implements SimpleVersionedSerializer<DeadLetter> {
    public static final DeadLetterSerializer INSTANCE = new DeadLetterSerializer();
    private static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DeadLetter d) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        StringValue.writeString(d.destination(), out);
        StringValue.writeString(d.key(), out);
        StringValue.writeString(d.operation(), out);
        out.writeInt(d.status());
        StringValue.writeString(d.reason(), out);
        out.writeInt(d.attempts());
        out.writeLong(d.timeMillis());
        return out.getCopyOfBuffer();
    }

    @Override
    public DeadLetter deserialize(int version, byte[] bytes) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown dead-letter serializer version " + version + " (this build reads 1 to " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        if (version == 1) {
            return new DeadLetter(Utf8.read(in), Utf8.read(in), Utf8.read(in), in.readInt(), Utf8.read(in), in.readInt(),
                    in.readLong());
        }
        return new DeadLetter(string(in), string(in), string(in), in.readInt(), string(in), in.readInt(), in.readLong());
    }

    private static String string(DataInputDeserializer in) throws IOException {
        String s = StringValue.readString(in);
        if (s == null) {
            throw new IOException("corrupt dead letter: a required text is missing");
        }
        return s;
    }
}

package dev.audiencemirror.connector.common;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * Length-prefixed UTF-8 strings: the string form of the connectors' frozen version-1 checkpoint
 * formats (dead letters, both writer states), kept to read them. Newer versions write strings in
 * Flink's own encoding, as every state serializer does; {@link #write} is for tests that build
 * version-1 bytes.
 */
@Internal
public final class Utf8 {
    private Utf8() {}

    public static void write(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt state: negative string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}

package dev.audiencemirror.serialization;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Binary forms of field types shared by the serializers; part of their formats, so frozen. */
public final class FieldCodec {
    private FieldCodec() {}

    /** Any length, {@code null} allowed (Flink's own string encoding). */
    public static void writeString(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out);
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** A string that must be there: a {@code null} in state means the bytes are not ours. */
    public static String readRequiredString(DataInputView in, String what) throws IOException {
        String s = StringValue.readString(in);
        if (s == null) {
            throw new IOException("corrupt state: " + what + " is null");
        }
        return s;
    }

    public static void writeInstant(Instant t, DataOutputView out) throws IOException {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    public static Instant readInstant(DataInputView in) throws IOException {
        long seconds = in.readLong();
        int nanos = in.readInt();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** A count, 7 bits a byte (one byte below 128): for collections that are usually tiny. */
    public static void writeCount(int n, DataOutputView out) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        while (n >= 0x80) {
            out.writeByte((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.writeByte(n);
    }

    public static int readCount(DataInputView in, String what) throws IOException {
        int n = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            n |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (n < 0) {
                    break;
                }
                return n;
            }
        }
        throw new IOException("corrupt state: " + what + " has a bad count");
    }

    private static final byte USER_KEY_TEXT = 0;
    private static final byte USER_KEY_UUID = 1;

    /**
     * A user key (a Permutive user ID, or {@code alias:<tag>:<id>}): a canonical lowercase UUID,
     * what Permutive user IDs are, as byte 1 and its 16 bytes (17 instead of 37); anything else as
     * byte 0 and the string.
     */
    public static void writeUserKey(String key, DataOutputView out) throws IOException {
        if (key.length() == 36 && isCanonicalUuid(key)) {
            out.writeByte(USER_KEY_UUID);
            out.writeLong(hex(key, 0, 8) << 32 | hex(key, 9, 13) << 16 | hex(key, 14, 18));
            out.writeLong(hex(key, 19, 23) << 48 | hex(key, 24, 36));
        } else {
            out.writeByte(USER_KEY_TEXT);
            writeString(key, out);
        }
    }

    public static String readUserKey(DataInputView in, String what) throws IOException {
        byte kind = in.readByte();
        if (kind == USER_KEY_UUID) {
            return new UUID(in.readLong(), in.readLong()).toString();
        }
        if (kind == USER_KEY_TEXT) {
            return readRequiredString(in, what);
        }
        throw new IOException("corrupt state: " + what + " has kind " + kind);
    }

    /** Whether {@code key} (36 chars) is exactly a UUID's {@code toString()}: lowercase hex, dashes at 8, 13, 18, 23. */
    private static boolean isCanonicalUuid(String key) {
        for (int i = 0; i < 36; i++) {
            char c = key.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The lowercase hex digits {@code from} (inclusive) to {@code to} as a number. */
    private static long hex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            v = v << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }
}

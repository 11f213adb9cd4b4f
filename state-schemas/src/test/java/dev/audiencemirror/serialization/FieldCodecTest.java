package dev.audiencemirror.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * User keys: a canonical UUID takes 17 bytes, anything else its text, and every key reads back as
 * written. Keys near the UUID shape (upper case, a digit out of range, a dash moved, one char more
 * or less) are checked against the JDK's own notion: {@code UUID.fromString(k).toString().equals(k)}.
 */
class FieldCodecTest {
    private static final String NEAR = "0123456789abcdefABCDEFgz-_";

    @Test
    void userKeysRoundTripAndOnlyCanonicalUuidsAreCompact() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            String key = new UUID(r.nextLong(), r.nextLong()).toString();
            StringBuilder k = new StringBuilder(key);
            switch (r.nextInt(6)) {
                case 0 -> { }
                case 1 -> k.setCharAt(r.nextInt(k.length()), NEAR.charAt(r.nextInt(NEAR.length())));
                case 2 -> k.deleteCharAt(r.nextInt(k.length()));
                case 3 -> k.insert(r.nextInt(k.length()), NEAR.charAt(r.nextInt(NEAR.length())));
                case 4 -> k.replace(0, k.length(), key.toUpperCase());
                default -> k.replace(0, k.length(), "alias:adestra:" + r.nextInt(1_000_000));
            }
            String s = k.toString();
            DataOutputSerializer out = new DataOutputSerializer(64);
            FieldCodec.writeUserKey(s, out);
            assertThat(FieldCodec.readUserKey(new DataInputDeserializer(out.getCopyOfBuffer()), "key")).isEqualTo(s);
            assertThat(out.length() == 17).as("compact: %s", s).isEqualTo(canonical(s));
        }
    }

    private static boolean canonical(String s) {
        try {
            return UUID.fromString(s).toString().equals(s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

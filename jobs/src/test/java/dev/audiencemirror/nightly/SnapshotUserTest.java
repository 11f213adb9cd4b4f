package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written snapshot user line is the line Jackson writes, and reads back as it was. */
class SnapshotUserTest {
    private static final String CHARS = "abc019-_:\\\"/\u00e9\u4e2d\u0000\u001f\u007f\n\t\ud83d\ude00 ";

    @Test
    void encodesAsJacksonDoesAndDecodesBack() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            List<Long> lists = new ArrayList<>();
            for (int k = r.nextInt(5); k > 0; k--) {
                lists.add(r.nextLong(0, Long.MAX_VALUE));
            }
            SnapshotUser u = new SnapshotUser(text(r), text(r), List.copyOf(lists));
            ObjectNode n = PlannedOperation.JSON.createObjectNode();
            n.put("u", u.userId());
            n.put("c", u.contactId());
            ArrayNode l = n.putArray("l");
            lists.forEach(l::add);
            assertThat(u.encode()).isEqualTo(n.toString());
            assertThat(SnapshotUser.decode(u.encode())).isEqualTo(u);
        }
    }

    private static String text(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            int c = r.nextInt(CHARS.length());
            s.append(Character.isHighSurrogate(CHARS.charAt(c)) ? CHARS.substring(c, c + 2) : Character.isLowSurrogate(CHARS.charAt(c)) ? "x" : CHARS.charAt(c));
        }
        return s.toString();
    }
}

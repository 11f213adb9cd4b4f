package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<LineReader.Line> lines(String text, int limit) throws IOException {
        List<LineReader.Line> out = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit)) {
            for (LineReader.Line l = r.next(); l != null; l = r.next()) {
                out.add(l);
            }
        }
        return out;
    }

    private static String text(LineReader.Line l) {
        return new String(l.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void splitsOnLfAndCrlfAndNumbersFromOne() throws IOException {
        List<LineReader.Line> ls = lines("a\r\nbb\n\nccc", 100);
        assertThat(ls).extracting(LineReaderTest::text).containsExactly("a", "bb", "", "ccc");
        assertThat(ls).extracting(LineReader.Line::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(ls).noneMatch(LineReader.Line::truncated);
    }

    @Test
    void finalLineBreakDoesNotMakeAnExtraLine() throws IOException {
        assertThat(lines("a\nb\n", 100)).hasSize(2);
        assertThat(lines("", 100)).isEmpty();
    }

    @Test
    void overlongLineKeepsOnlyItsStartAndTheNextLineIsIntact() throws IOException {
        List<LineReader.Line> ls = lines("0123456789abcdef\nok\n", 5);
        assertThat(ls).hasSize(2);
        assertThat(text(ls.get(0))).isEqualTo("012345");
        assertThat(ls.get(0).truncated()).isTrue();
        assertThat(text(ls.get(1))).isEqualTo("ok");
        assertThat(ls.get(1).number()).isEqualTo(2);
    }

    @Test
    void linesSpanningTheReadBufferAreWhole() throws IOException {
        String longLine = "y".repeat(200_000);
        List<LineReader.Line> ls = lines("x\n" + longLine + "\nz", LineParser.MAX_LINE_BYTES);
        assertThat(ls).extracting(LineReaderTest::text).containsExactly("x", longLine, "z");
    }

    @Test
    void anOverlongLineIsRejectedByTheParserWithItsLineNumber() throws IOException {
        String big = "{\"a\":\"" + "z".repeat(LineParser.MAX_LINE_BYTES) + "\"}";
        List<LineReader.Line> ls = lines("{\"a\":\"1\"}\n" + big + "\n", LineParser.MAX_LINE_BYTES);
        LineReader.Line second = ls.get(1);
        assertThat(second.truncated()).isTrue();
        assertThat(second.bytes()).hasSize(LineParser.MAX_LINE_BYTES + 1);
        ParseAssertions.assertRejected(
                new JsonLineParserTest.AParser().parse("f", second.number(), second.bytes()), "$", "1 MiB limit");
    }
}

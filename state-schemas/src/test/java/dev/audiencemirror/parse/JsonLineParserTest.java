package dev.audiencemirror.parse;

import static dev.audiencemirror.parse.ParseAssertions.assertIgnored;
import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The checks every JSON input shares: size limit, JSON syntax, shape, never throwing. */
class JsonLineParserTest {

    /** Reads {"a": "<non-blank string>"}. */
    static final class AParser extends JsonLineParser<String> {
        @Override
        protected ParseResult<String> read(ObjectNode json) {
            return ParseResult.ok(JsonFields.requiredString(json, "", "a"));
        }
    }

    /** A parser with a bug: a line reaching it must still not throw out of parse. */
    static final class BuggyParser extends JsonLineParser<String> {
        @Override
        protected ParseResult<String> read(ObjectNode json) {
            throw new IllegalStateException("boom");
        }
    }

    private final AParser parser = new AParser();

    @Test
    void readsAValidLineFromTextAndBytes() {
        assertThat(assertOk(parser.parse("f", 1, "{\"a\":\"x\"}"))).isEqualTo("x");
        assertThat(assertOk(parser.parse("f", 1, "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)))).isEqualTo("é");
    }

    @Test
    void notJsonIsRejectedOnTheWholeLineWithWhere() {
        ParseError e = assertRejected(parser.parse("events.jsonl", 7, "{\"a\": x}"), "$", "not valid JSON");
        assertThat(e.position()).isEqualTo(7);
        assertThat(e.source()).isEqualTo("events.jsonl");
        assertThat(e.reason()).contains("column");
        assertThat(e.raw()).isEqualTo("{\"a\": x}");
        assertRejected(parser.parse("f", 1, "{\"a\": \"x\""), "$", "not valid JSON");
        assertRejected(parser.parse("f", 1, "hello".getBytes(StandardCharsets.UTF_8)), "$", "not valid JSON");
    }

    @Test
    void trailingTextAfterTheObjectIsRejected() {
        assertRejected(parser.parse("f", 1, "{\"a\":\"x\"} {\"a\":\"y\"}"), "$", "not valid JSON");
    }

    @Test
    void duplicateKeysAreRejected() {
        ParseError e = assertRejected(parser.parse("f", 1, "{\"a\":\"x\",\"a\":\"y\"}"), "$", "not valid JSON");
        assertThat(e.reason()).containsIgnoringCase("duplicate");
    }

    @Test
    void aLineThatIsNotAnObjectIsRejected() {
        assertRejected(parser.parse("f", 1, "[1,2]"), "$", "must be a JSON object, got an array");
        assertRejected(parser.parse("f", 1, "42"), "$", "must be a JSON object, got number 42");
        assertRejected(parser.parse("f", 1, "null"), "$", "must be a JSON object, got null");
    }

    @Test
    void blankLinesAreIgnoredNotRejected() {
        assertThat(assertIgnored(parser.parse("f", 1, "   "))).isEqualTo("blank line");
        assertThat(assertIgnored(parser.parse("f", 1, "\r".getBytes(StandardCharsets.UTF_8)))).isEqualTo("blank line");
    }

    @Test
    void nullLineIsRejected() {
        assertRejected(parser.parse("f", 1, (String) null), "$", "missing");
        assertRejected(parser.parse("f", 1, (byte[]) null), "$", "missing");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ParseError e = assertRejected(parser.parse("f", 1, bad), "$", "not valid JSON");
        assertThat(e.reason()).containsIgnoringCase("UTF-8");
    }

    @Test
    void aBugInAParserBecomesARejectionNotAnException() {
        ParseError e = assertRejected(new BuggyParser().parse("f", 9, "{}"), "$", "could not be read");
        assertThat(e.reason()).contains("IllegalStateException").contains("boom");
    }

    @Test
    void lineOverOneMebibyteIsRejectedBeforeJsonParsing() {
        // Not JSON at all: a rejection for size, not syntax, proves the parser never read it.
        String line = "x".repeat(LineParser.MAX_LINE_BYTES + 1);
        ParseError e = assertRejected(parser.parse("f", 3, line), "$", "over the 1 MiB limit (1048576 bytes)");
        assertThat(e.reason()).contains("1048577 bytes");
        assertThat(e.raw()).hasSize(LineParser.MAX_LINE_BYTES + 1);

        assertRejected(parser.parse("f", 3, line.getBytes(StandardCharsets.UTF_8)), "$", "over the 1 MiB limit");
        // As a file reader hands it over: cut one byte past the limit, so its length is not known.
        ParseError cut = assertRejected(parser.parse("f", 3, line.getBytes(StandardCharsets.UTF_8)), "$", "longer than allowed");
        assertThat(cut.reason()).doesNotContain("1048577");
    }

    @Test
    void limitCountsUtf8BytesNotChars() {
        // 600k two-byte chars: under the limit in chars, over it in bytes.
        String line = "{\"a\":\"" + "é".repeat(600_000) + "\"}";
        assertThat(line.length()).isLessThan(LineParser.MAX_LINE_BYTES);
        assertRejected(parser.parse("f", 1, line), "$", "over the 1 MiB limit");
    }

    @Test
    void lineOfExactlyOneMebibyteIsRead() {
        String head = "{\"a\":\"x\"}";
        String line = head + " ".repeat(LineParser.MAX_LINE_BYTES - head.length());
        assertThat(assertOk(parser.parse("f", 1, line))).isEqualTo("x");
        assertThat(assertOk(parser.parse("f", 1, line.getBytes(StandardCharsets.UTF_8)))).isEqualTo("x");
    }
}

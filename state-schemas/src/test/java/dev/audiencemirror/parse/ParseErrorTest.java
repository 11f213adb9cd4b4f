package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParseErrorTest {

    @Test
    void messageNamesSourcePositionFieldAndReason() {
        ParseError e = new ParseError("identities.jsonl", 12, "aliases[1].id", "must not be empty", "{}");
        assertThat(e.message()).isEqualTo("identities.jsonl:12: aliases[1].id: must not be empty");
    }

    @Test
    void previewIsCutButRawKeptWhole() {
        String raw = "x".repeat(5000);
        ParseError e = new ParseError("kafka:events/3", 42, "$", "not valid JSON", raw);
        assertThat(e.preview()).hasSizeLessThan(300).startsWith("xxx").endsWith("(5000 chars)");
        assertThat(e.raw()).isEqualTo(raw);
        assertThat(e.toString()).contains("kafka:events/3:42: $: not valid JSON").doesNotContain(raw);
    }

    @Test
    void shortLineIsShownAsIs() {
        assertThat(new ParseError("f", 1, "$", "r", "{\"a\":1}").preview()).isEqualTo("{\"a\":1}");
    }
}

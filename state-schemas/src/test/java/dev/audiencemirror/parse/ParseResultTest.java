package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParseResultTest {

    @Test
    void orElseThrowGivesTheValueOrSaysWhyNot() {
        assertThat(ParseResult.ok("v").orElseThrow()).isEqualTo("v");
        assertThatThrownBy(() -> ParseResult.rejected(new ParseError("f", 3, "time", "bad", "")).orElseThrow())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("f:3: time: bad");
        assertThatThrownBy(() -> ParseResult.ignored("blank line").orElseThrow())
                .hasMessageContaining("blank line");
    }

    @Test
    void isOkOnlyForValues() {
        assertThat(ParseResult.ok(1).isOk()).isTrue();
        assertThat(ParseResult.ignored("x").isOk()).isFalse();
    }
}

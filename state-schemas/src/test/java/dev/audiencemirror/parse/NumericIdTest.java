package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumericIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"1", "4711", "999999999999999999"})
    void acceptsPositiveWholeNumbers(String id) {
        assertThat(NumericId.problem(id, "list ID")).isNull();
    }

    @Test
    void refusesWithTheReason() {
        assertThat(NumericId.problem("12a", "list ID")).isEqualTo("must be a numeric list ID (digits only), got \"12a\"");
        assertThat(NumericId.problem("-5", "list ID")).contains("digits only");
        assertThat(NumericId.problem(" 5", "list ID")).contains("digits only");
        assertThat(NumericId.problem("", "list ID")).contains("empty");
        assertThat(NumericId.problem(null, "list ID")).contains("empty");
        assertThat(NumericId.problem("0", "list ID")).contains("without leading zeros");
        assertThat(NumericId.problem("0123", "list ID")).contains("without leading zeros");
        assertThat(NumericId.problem("1234567890123456789", "list ID")).contains("at most 18 digits");
    }
}

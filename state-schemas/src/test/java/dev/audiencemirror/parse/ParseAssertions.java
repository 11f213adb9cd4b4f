package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on parse results that check the message a person would read, not just the type. */
public final class ParseAssertions {
    private ParseAssertions() {}

    /**
     * The line was rejected on {@code field}, and the message names that field and contains
     * {@code reasonFragment}.
     */
    public static ParseError assertRejected(ParseResult<?> result, String field, String reasonFragment) {
        assertThat(result).as("parse result").isInstanceOf(ParseResult.Rejected.class);
        ParseError error = ((ParseResult.Rejected<?>) result).error();
        assertThat(error.field()).as("field of: " + error.message()).isEqualTo(field);
        assertThat(error.message()).contains(": " + field + ": ").contains(reasonFragment);
        return error;
    }

    public static <T> T assertOk(ParseResult<T> result) {
        assertThat(result).as("parse result").isInstanceOf(ParseResult.Ok.class);
        return ((ParseResult.Ok<T>) result).value();
    }

    public static String assertIgnored(ParseResult<?> result) {
        assertThat(result).as("parse result").isInstanceOf(ParseResult.Ignored.class);
        return ((ParseResult.Ignored<?>) result).reason();
    }
}

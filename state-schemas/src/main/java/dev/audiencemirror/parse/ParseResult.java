package dev.audiencemirror.parse;

import java.util.Objects;

/**
 * The outcome of parsing one line: a value, a rejection with its {@link ParseError}, or a line
 * that is valid but not for us (e.g. an event that is not a membership event), which is counted
 * rather than reported as an error.
 */
public sealed interface ParseResult<T> {

    record Ok<T>(T value) implements ParseResult<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Rejected<T>(ParseError error) implements ParseResult<T> {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }

    record Ignored<T>(String reason) implements ParseResult<T> {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static <T> ParseResult<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> ParseResult<T> rejected(ParseError error) {
        return new Rejected<>(error);
    }

    static <T> ParseResult<T> ignored(String reason) {
        return new Ignored<>(reason);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value, or an {@link IllegalStateException} saying why there is none. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        if (this instanceof Rejected<T> r) {
            throw new IllegalStateException("rejected: " + r.error().message());
        }
        throw new IllegalStateException("ignored: " + ((Ignored<T>) this).reason());
    }
}

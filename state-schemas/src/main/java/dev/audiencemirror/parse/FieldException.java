package dev.audiencemirror.parse;

/**
 * Thrown inside a parser when a field is bad; {@link LineParser} turns it into a
 * {@link ParseError}, so it never leaves {@code parse}. No stack trace: bad input is an expected
 * outcome at high rates, not a bug to debug.
 */
public final class FieldException extends RuntimeException {
    private final String field;
    private final String reason;

    public FieldException(String field, String reason) {
        super(field + ": " + reason, null, false, false);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}

package dev.audiencemirror.stream;

/**
 * A start of the streaming job that would lose state, or run beside another job on the same state,
 * refused before anything is submitted: the message says what would go wrong and what to do, the
 * exit code is {@code Command.REFUSED} or {@code Command.LOCKED}.
 */
public final class StartRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    StartRefused(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

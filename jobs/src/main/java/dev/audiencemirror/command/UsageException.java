package dev.audiencemirror.command;

/** Bad arguments: reported with exit code {@link Command#USAGE}. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}

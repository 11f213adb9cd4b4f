package dev.audiencemirror.nightly;

/**
 * The one line a person can act on from a failure's chain: the innermost cause's message (Flink
 * wraps a sink's "Adestra rejected the API key (HTTP 401) …" in several layers of "Job execution
 * failed"). Our own exceptions speak for themselves; others keep their type, which carries meaning
 * ({@code ConnectException: Connection refused}). Messages never hold an API key: the connectors
 * name a key only by its source.
 */
final class RootCause {
    private RootCause() {}

    static String of(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t;
            }
        }
        String message = deepest.getMessage() == null ? "" : deepest.getMessage().strip();
        String first = message.lines().findFirst().orElse("");
        if (deepest.getClass().getName().startsWith("dev.audiencemirror.")) {
            return first.isEmpty() ? deepest.getClass().getSimpleName() : first;
        }
        return deepest.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }
}

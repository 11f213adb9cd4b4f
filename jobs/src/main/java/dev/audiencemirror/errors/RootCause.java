package dev.audiencemirror.errors;

/**
 * The one line a person can act on from a failure's chain. Flink wraps a sink's "Adestra rejected
 * the API key (HTTP 401) …" in several layers of "Job execution failed": the innermost exception
 * of ours says what to fix (it names the setting or the endpoint, never a key: the connectors name
 * a key only by its source); without one, the innermost cause with its type
 * ({@code ConnectException: Connection refused}).
 */
public final class RootCause {
    private RootCause() {}

    public static String of(Throwable failure) {
        Throwable ours = null;
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            boolean speaks = t.getMessage() != null && !t.getMessage().isBlank();
            if (speaks && t.getClass().getName().startsWith("dev.audiencemirror.")) {
                ours = t;
            }
            if (speaks || deepest == failure) {
                deepest = t;
            }
        }
        if (ours != null) {
            return firstLine(ours);
        }
        String line = firstLine(deepest);
        return deepest.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        return message.lines().findFirst().orElse("");
    }
}

package dev.audiencemirror.sandbox;

import java.util.List;

/**
 * One API request as the sandbox decided it. {@code seq} grows by one per entry; for requests that
 * change state it is taken at the moment the change is applied (under the same lock), so two
 * requests on one (contact, list) or one import appear in the order they took effect, and
 * {@code timeMs} is when that happened; {@code arrivedMs} is when the request arrived (earlier by its
 * latency, and by {@code hold_ms} for a held request).
 *
 * @param status     what the client was answered; 0 means the connection was dropped with no answer
 * @param applied    whether the request changed (or idempotently confirmed) destination state
 * @param note       why the answer was not the API's own, e.g. {@code fault 503}, {@code throttled}, {@code slow}
 * @param applyOrder for a PATCH batch of at most 100 operations, the operation indexes in the order applied
 * @param operationVersion the request's {@value #VERSION_HEADER} header, when it had one (the Adestra
 *                   connector sends its operation's version), so a test can check the order per key
 * @param arrivedMs  when the request arrived ({@code timeMs} is when it was decided or took effect)
 * @param rows       for an applied Taxonomy PATCH of at most 100 operations, each as applied, in request
 *                   order: {@code Create <code> <name>}, {@code Update <code> <name>} (the name after the
 *                   update), {@code Delete <code>}; so a test can tell which segments a late batch changed
 */
public record LogEntry(long seq, long timeMs, String method, String path, String endpoint, int status,
                       boolean applied, String note, List<Integer> applyOrder, Long operationVersion,
                       long arrivedMs, List<String> rows) {

    /** The header a client may send its operation's version in; the sandbox only logs it. */
    public static final String VERSION_HEADER = "X-Audience-Mirror-Version";
}

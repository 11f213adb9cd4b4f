package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.SecretRef;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Everything an {@link AdestraSink} needs, immutable and validated by {@link AdestraSinkBuilder}.
 * It holds where the key is, not the key: each sender reads it on its TaskManager.
 *
 * @param apiKeyCheckInterval how often a sender reads a key file again to see whether it changed
 * @param maxConcurrency requests in flight for the account, shared by all subtasks (Adestra
 *     allows 10)
 * @param maxBufferedOperations pending operations per subtask before the writer applies
 *     backpressure
 * @param expectedLists lists the preflight checks exist (lists are never created by the sink)
 * @param settleDelay how long after an uncertain key's newest operation is acknowledged it is sent
 *     once more (zero: never); longer than any server holds a request
 */
@PublicEvolving
public record AdestraSinkConfig(
        URI baseUrl,
        SecretRef apiKey,
        Duration apiKeyCheckInterval,
        String authScheme,
        int maxConcurrency,
        Duration requestTimeout,
        RetryPolicy retryPolicy,
        int maxBufferedOperations,
        Set<Long> expectedLists,
        boolean preflight,
        Duration settleDelay)
        implements Serializable {

    /** Adestra's documented limit of concurrent connections per account. */
    public static final int ACCOUNT_CONCURRENCY_LIMIT = 10;
    /** The settle delay unless one is given, in request timeouts: a server may hold a request past the timeout. */
    public static final int DEFAULT_SETTLE_DELAY_TIMEOUTS = 3;
    /** The scheme in {@code Authorization: <scheme> <key>} unless one is given. */
    public static final String DEFAULT_AUTH_SCHEME = "TOKEN";
    /** A scheme is one word: anything else would break the {@code Authorization} header. */
    public static final Pattern AUTH_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /** The value of the {@code Authorization} header with {@code key}. Never log it. */
    String authorizationHeader(Secret key) {
        return authScheme + " " + key.reveal();
    }
}

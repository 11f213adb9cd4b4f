package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Everything a {@link TaxonomySink} needs, immutable and validated by {@link TaxonomySinkBuilder}.
 * It holds where the key is, not the key: the writer reads it on its TaskManager.
 *
 * @param baseUrl the Taxonomy API base, without a trailing slash, e.g. {@code https://api.permutive.app/audience-api/v1}
 * @param apiKeyCheckInterval how often the writer reads a key file again to see whether it changed
 * @param importId the audience import whose segments this sink writes (one sink, one import)
 * @param batchSize operations per PATCH, 1 to 5,000
 * @param linger how long a partial batch may wait for more operations before it is sent anyway
 * @param maxBufferedOperations operations the writer holds (buffered and in flight) before it
 *     applies backpressure; at least {@code batchSize}
 * @param preflight whether the writer checks the key and the import before the first batch
 * @param maxConversions how often one row may be turned from Create into Update or back (409/404
 *     answers), and how often a batch refused as a whole with 404/409 is planned anew after reading
 *     the import's codes again, before the row is isolated and dead-lettered; bounds the ping-pong
 *     when someone else edits the import at the same time
 * @param settleDelay how long after a row of an uncertain code is applied it is sent once more
 *     (README, "Late applies"); zero: never
 */
@PublicEvolving
public record TaxonomySinkConfig(
        URI baseUrl,
        SecretRef apiKey,
        Duration apiKeyCheckInterval,
        String importId,
        int batchSize,
        Duration linger,
        Duration requestTimeout,
        RetryPolicy retryPolicy,
        int maxBufferedOperations,
        boolean preflight,
        int maxConversions,
        Duration settleDelay)
        implements Serializable {

    /** The settle delay unless one is given, in request timeouts: a server may hold a request past the timeout. */
    public static final int DEFAULT_SETTLE_DELAY_TIMEOUTS = 3;

    /** The API refuses more operations than this in one PATCH. */
    public static final int MAX_BATCH_SIZE = 5000;
    /** The header that carries the key (the API also takes query {@code k}; a query would end up in logs). */
    static final String KEY_HEADER = "X-Api-Key";
}

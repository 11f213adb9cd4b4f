package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.HttpSinkBuilder;
import dev.audiencemirror.connector.common.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Builds a {@link TaxonomySink}; every setting is checked here, so a bad one fails when the job is
 * built, with the setting's name, not when the first batch goes out. Batches go to
 * {@code {baseUrl}/imports/{importId}/segments}; the API key needs write access and is sent as
 * header {@code X-Api-Key}; the writer holds up to 4 batches (buffered and in flight) unless
 * {@link #maxBufferedOperations(int)} says otherwise.
 *
 * <pre>{@code
 * TaxonomySink sink = TaxonomySink.builder()
 *     .baseUrl(URI.create("https://api.permutive.app/audience-api/v1"))
 *     .apiKey(SecretRef.file("/opt/mirror/secrets/permutive-api-key"))
 *     .importId("imp-1")
 *     .deadLetterSink(fileSink)
 *     .build();
 * operations.sinkTo(sink).setParallelism(1).uid("taxonomy-sink");
 * }</pre>
 */
@PublicEvolving
public final class TaxonomySinkBuilder extends HttpSinkBuilder<TaxonomySinkBuilder> {
    private String importId;
    private int batchSize = TaxonomySinkConfig.MAX_BATCH_SIZE;
    private Duration linger = Duration.ofSeconds(1);
    private int maxConversions = 3;
    private Duration settleDelay;

    TaxonomySinkBuilder() {
        super(Duration.ofSeconds(30));
    }

    @Override
    protected TaxonomySinkBuilder self() {
        return this;
    }

    /** The audience import whose segments this sink writes. */
    public TaxonomySinkBuilder importId(String importId) {
        this.importId = Objects.requireNonNull(importId, "importId");
        return this;
    }

    /** Operations per request, 1 to 5,000 (the API's maximum, and the default). */
    public TaxonomySinkBuilder batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** How long a batch that is not full may wait for more operations (default 1 s). */
    public TaxonomySinkBuilder linger(Duration linger) {
        this.linger = Objects.requireNonNull(linger, "linger");
        return this;
    }

    /**
     * How often one row may flip between Create and Update on a per-row 409/404, and a batch refused
     * as a whole with 404/409 be planned anew, before the row is isolated and dead-lettered (default 3).
     */
    public TaxonomySinkBuilder maxConversions(int maxConversions) {
        this.maxConversions = maxConversions;
        return this;
    }

    /**
     * How long after a row of an uncertain code is applied it is sent once more: a code is uncertain
     * when a batch with it got no answer or a 5xx (it may still take effect, late) or was restored
     * after a failover. Longer than any server holds a request; at least the request timeout, or
     * zero to never re-send. Default: {@value TaxonomySinkConfig#DEFAULT_SETTLE_DELAY_TIMEOUTS}
     * request timeouts.
     */
    public TaxonomySinkBuilder settleDelay(Duration settleDelay) {
        this.settleDelay = Objects.requireNonNull(settleDelay, "settleDelay");
        return this;
    }

    public TaxonomySink build() {
        URI baseUrl = checkedBaseUrl();
        SecretRef apiKey = checkedApiKey();
        Duration apiKeyCheckInterval = checkedApiKeyCheckInterval();
        if (importId == null || importId.isBlank()) {
            throw new IllegalArgumentException("importId is required: the Permutive audience import to write");
        }
        if (batchSize < 1 || batchSize > TaxonomySinkConfig.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + TaxonomySinkConfig.MAX_BATCH_SIZE
                    + " (the Taxonomy API takes at most " + TaxonomySinkConfig.MAX_BATCH_SIZE
                    + " operations per request), was " + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative, was " + linger);
        }
        Duration requestTimeout = checkedRequestTimeout();
        int maxBuffered = getMaxBufferedOperations(4 * batchSize);
        if (maxBuffered < batchSize) {
            throw new IllegalArgumentException("maxBufferedOperations (" + maxBuffered
                    + ") must be at least batchSize (" + batchSize + "), or batches could never fill");
        }
        if (maxConversions < 0) {
            throw new IllegalArgumentException("maxConversions must not be negative, was " + maxConversions);
        }
        Duration settle = settleDelay != null ? settleDelay
                : requestTimeout.multipliedBy(TaxonomySinkConfig.DEFAULT_SETTLE_DELAY_TIMEOUTS);
        if (!settle.isZero() && settle.compareTo(requestTimeout) < 0) {
            throw new IllegalArgumentException("settleDelay must be zero (never re-send) or at least the request timeout ("
                    + requestTimeout + "), was " + settle);
        }
        Sink<DeadLetter> deadLetterSink = checkedDeadLetterSink("rows");
        TaxonomySinkConfig config = new TaxonomySinkConfig(baseUrl, apiKey, apiKeyCheckInterval, importId, batchSize, linger,
                requestTimeout, getRetryPolicy(), maxBuffered, getPreflight(), maxConversions, settle);
        return new TaxonomySink(config, deadLetterSink);
    }
}

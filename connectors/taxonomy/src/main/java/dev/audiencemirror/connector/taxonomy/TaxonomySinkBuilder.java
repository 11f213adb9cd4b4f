package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Builds a {@link TaxonomySink}; every setting is checked here, so a bad one fails when the job is
 * built, with the setting's name, not when the first batch goes out.
 *
 * <pre>{@code
 * TaxonomySink sink = TaxonomySink.builder()
 *     .baseUrl(URI.create("https://api.permutive.app/audience-api/v1"))
 *     .apiKey(key)
 *     .importId("imp-1")
 *     .deadLetterSink(fileSink)
 *     .build();
 * operations.sinkTo(sink).setParallelism(1).uid("taxonomy-sink");
 * }</pre>
 */
public final class TaxonomySinkBuilder {
    private URI baseUrl;
    private Secret apiKey;
    private String importId;
    private int batchSize = TaxonomySinkConfig.MAX_BATCH_SIZE;
    private Duration linger = Duration.ofSeconds(1);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private RetryPolicy retryPolicy = RetryPolicy.builder().build();
    private Integer maxBufferedOperations;
    private boolean preflight = true;
    private boolean preflightWriteCheck = true;
    private int maxConversions = 3;
    private Sink<DeadLetter> deadLetterSink;

    TaxonomySinkBuilder() {}

    /** The API base; batches go to {@code {baseUrl}/imports/{importId}/segments}. */
    public TaxonomySinkBuilder baseUrl(URI baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        return this;
    }

    /** A private API key with write access, sent as header {@code X-Api-Key}. */
    public TaxonomySinkBuilder apiKey(Secret apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
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

    public TaxonomySinkBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        return this;
    }

    public TaxonomySinkBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /** Operations held (buffered and in flight) before the writer stops taking input; default 4 batches. */
    public TaxonomySinkBuilder maxBufferedOperations(int maxBufferedOperations) {
        this.maxBufferedOperations = maxBufferedOperations;
        return this;
    }

    /** Whether the writer checks the key and the import before sending (on by default). */
    public TaxonomySinkBuilder preflight(boolean preflight) {
        this.preflight = preflight;
        return this;
    }

    /**
     * Whether the preflight proves write access with an empty PATCH ({@code {"operations":[]}}, no
     * effect); on by default. Turn it off if the API ever refuses an empty batch in a way that hides
     * the key's access.
     */
    public TaxonomySinkBuilder preflightWriteCheck(boolean preflightWriteCheck) {
        this.preflightWriteCheck = preflightWriteCheck;
        return this;
    }

    /** How often one row may flip between Create and Update on 409/404 before it is dead-lettered (default 3). */
    public TaxonomySinkBuilder maxConversions(int maxConversions) {
        this.maxConversions = maxConversions;
        return this;
    }

    /** Where rows the API refuses go, with their reason: a file or Kafka sink. */
    public TaxonomySinkBuilder deadLetterSink(Sink<DeadLetter> deadLetterSink) {
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        return this;
    }

    public TaxonomySink build() {
        if (baseUrl == null) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + baseUrl);
        }
        if (apiKey == null) {
            throw new IllegalArgumentException("apiKey is required");
        }
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
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        int maxBuffered = maxBufferedOperations == null ? 4 * batchSize : maxBufferedOperations;
        if (maxBuffered < batchSize) {
            throw new IllegalArgumentException("maxBufferedOperations (" + maxBuffered
                    + ") must be at least batchSize (" + batchSize + "), or batches could never fill");
        }
        if (maxConversions < 0) {
            throw new IllegalArgumentException("maxConversions must not be negative, was " + maxConversions);
        }
        if (deadLetterSink == null) {
            throw new IllegalArgumentException("deadLetterSink is required: refused rows must go somewhere");
        }
        String base = baseUrl.toString();
        URI normalized = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        TaxonomySinkConfig config = new TaxonomySinkConfig(normalized, apiKey, importId, batchSize, linger,
                requestTimeout, retryPolicy, maxBuffered, preflight, preflightWriteCheck, maxConversions);
        return new TaxonomySink(config, deadLetterSink);
    }
}

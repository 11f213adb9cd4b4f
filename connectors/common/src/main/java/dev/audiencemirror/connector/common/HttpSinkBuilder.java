package dev.audiencemirror.connector.common;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The settings both HTTP sink builders share, with their checks (modelled on Flink's
 * {@code AsyncSinkBaseBuilder}). Generic in the concrete builder so that the shared setters
 * return it and a chain can mix shared and connector-specific setters.
 *
 * <p>The checks are separate methods, not one, because each connector's {@code build()}
 * interleaves them with its own: that keeps which error a builder with several bad settings
 * reports the same as before the checks moved here.
 */
@PublicEvolving
public abstract class HttpSinkBuilder<B extends HttpSinkBuilder<B>> {
    private URI baseUrl;
    private SecretRef apiKey;
    private Duration apiKeyCheckInterval = RotatingSecret.DEFAULT_CHECK_INTERVAL;
    private Duration requestTimeout;
    private RetryPolicy retryPolicy = RetryPolicy.builder().build();
    // Null until set: the default depends on the connector (Taxonomy's on its batch size).
    private Integer maxBufferedOperations;
    private boolean preflight = true;
    private Sink<DeadLetter> deadLetterSink;

    protected HttpSinkBuilder(Duration defaultRequestTimeout) {
        this.requestTimeout = defaultRequestTimeout;
    }

    /** {@code this}, typed as the concrete builder. */
    protected abstract B self();

    /** The API base that the connector's request paths are appended to. */
    public B baseUrl(URI baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        return self();
    }

    /**
     * Where the API key is; how it is sent is the connector's (see its builder). The sink carries
     * this reference only: each writer reads the key on its TaskManager, and reads a key file
     * again when it changes ({@link #apiKeyCheckInterval}) and after the API refuses the key.
     */
    public B apiKey(SecretRef apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        return self();
    }

    /** How often a writer reads its key file again to see whether it changed (default 10 s). */
    public B apiKeyCheckInterval(Duration apiKeyCheckInterval) {
        this.apiKeyCheckInterval = Objects.requireNonNull(apiKeyCheckInterval, "apiKeyCheckInterval");
        return self();
    }

    public B requestTimeout(Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        return self();
    }

    public B retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return self();
    }

    /** Operations a writer holds before it stops taking input (backpressure); default: the connector's. */
    public B maxBufferedOperations(int maxBufferedOperations) {
        this.maxBufferedOperations = maxBufferedOperations;
        return self();
    }

    /** Whether each writer checks the key and its destination before sending (on by default). */
    public B preflight(boolean preflight) {
        this.preflight = preflight;
        return self();
    }

    /** Where what the API refuses goes, with the reason: a file or Kafka sink. */
    public B deadLetterSink(Sink<DeadLetter> deadLetterSink) {
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        return self();
    }

    /** Checks the base URL; returns it without a trailing slash, so paths can be appended with one. */
    protected final URI checkedBaseUrl() {
        if (baseUrl == null) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme();
        if (!scheme.equals("https") && !scheme.equals("http") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + baseUrl);
        }
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    protected final SecretRef checkedApiKey() {
        if (apiKey == null) {
            throw new IllegalArgumentException("apiKey is required");
        }
        return apiKey;
    }

    protected final Duration checkedApiKeyCheckInterval() {
        if (apiKeyCheckInterval.isNegative() || apiKeyCheckInterval.isZero()) {
            throw new IllegalArgumentException("apiKeyCheckInterval must be positive, was " + apiKeyCheckInterval);
        }
        return apiKeyCheckInterval;
    }

    protected final Duration checkedRequestTimeout() {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        return requestTimeout;
    }

    /** @param refused what the connector dead-letters, for the message, e.g. {@code operations} */
    protected final Sink<DeadLetter> checkedDeadLetterSink(String refused) {
        if (deadLetterSink == null) {
            throw new IllegalArgumentException("deadLetterSink is required: refused " + refused + " must go somewhere");
        }
        return deadLetterSink;
    }

    protected final RetryPolicy getRetryPolicy() {
        return retryPolicy;
    }

    /** The limit set, or {@code ifUnset}; the connector checks it against its own lower bound. */
    protected final int getMaxBufferedOperations(int ifUnset) {
        return maxBufferedOperations == null ? ifUnset : maxBufferedOperations;
    }

    protected final boolean getPreflight() {
        return preflight;
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Builds an {@link AdestraSink}; every setting is checked here, so a bad one fails when the job is
 * built, with the setting's name, not when the first request goes out.
 *
 * <pre>{@code
 * AdestraSink sink = AdestraSink.builder()
 *     .baseUrl(URI.create("https://app.adestra.com/api/rest/1"))
 *     .apiKey(key)
 *     .expectedLists(Set.of(678L, 679L))
 *     .deadLetterSink(fileSink)
 *     .build();
 * stream.sinkTo(sink);
 * }</pre>
 */
public final class AdestraSinkBuilder {
    private URI baseUrl;
    private Secret apiKey;
    private String authScheme = "TOKEN";
    private int maxConcurrency = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private RetryPolicy retryPolicy = RetryPolicy.builder().build();
    private int maxBufferedOperations = 100_000;
    private Set<Long> expectedLists = Set.of();
    private boolean preflight = true;
    private Sink<DeadLetter> deadLetterSink;

    AdestraSinkBuilder() {}

    /** The REST base; operations go to {@code {baseUrl}/contacts/{contact}/lists/{list}}. */
    public AdestraSinkBuilder baseUrl(URI baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        return this;
    }

    public AdestraSinkBuilder apiKey(Secret apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        return this;
    }

    /** The scheme in {@code Authorization: <scheme> <key>}; {@code TOKEN} by default. */
    public AdestraSinkBuilder authScheme(String authScheme) {
        this.authScheme = Objects.requireNonNull(authScheme, "authScheme");
        return this;
    }

    /** Requests in flight for the whole sink (all subtasks together), 1 to 10. */
    public AdestraSinkBuilder maxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
        return this;
    }

    public AdestraSinkBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        return this;
    }

    public AdestraSinkBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /** Pending operations a subtask holds before it stops taking input (backpressure). */
    public AdestraSinkBuilder maxBufferedOperations(int maxBufferedOperations) {
        this.maxBufferedOperations = maxBufferedOperations;
        return this;
    }

    /** The lists this job writes to: the preflight fails the job at start if one does not exist. */
    public AdestraSinkBuilder expectedLists(Set<Long> expectedLists) {
        this.expectedLists = Set.copyOf(expectedLists);
        return this;
    }

    /** Whether each writer checks the key and the lists before sending (on by default). */
    public AdestraSinkBuilder preflight(boolean preflight) {
        this.preflight = preflight;
        return this;
    }

    /** Where operations the API refuses go, with their reason: a file or Kafka sink. */
    public AdestraSinkBuilder deadLetterSink(Sink<DeadLetter> deadLetterSink) {
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        return this;
    }

    public AdestraSink build() {
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
        if (!authScheme.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("authScheme must be one word such as TOKEN, was '" + authScheme + "'");
        }
        if (maxConcurrency < 1 || maxConcurrency > AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT) {
            throw new IllegalArgumentException("maxConcurrency must be between 1 and "
                    + AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT + " (Adestra's limit per account), was " + maxConcurrency);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxBufferedOperations < 1) {
            throw new IllegalArgumentException("maxBufferedOperations must be at least 1, was " + maxBufferedOperations);
        }
        if (deadLetterSink == null) {
            throw new IllegalArgumentException("deadLetterSink is required: refused operations must go somewhere");
        }
        String base = baseUrl.toString();
        URI normalized = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        AdestraSinkConfig config = new AdestraSinkConfig(normalized, apiKey, authScheme, maxConcurrency, requestTimeout,
                retryPolicy, maxBufferedOperations, Set.copyOf(new TreeSet<>(expectedLists)), preflight);
        return new AdestraSink(config, deadLetterSink);
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.HttpSinkBuilder;
import dev.audiencemirror.connector.common.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Builds an {@link AdestraSink}; every setting is checked here, so a bad one fails when the job is
 * built, with the setting's name, not when the first request goes out. Operations go to
 * {@code {baseUrl}/contacts/{contact}/lists/{list}}; a subtask holds up to 100,000 pending
 * operations unless {@link #maxBufferedOperations(int)} says otherwise.
 *
 * <pre>{@code
 * AdestraSink sink = AdestraSink.builder()
 *     .baseUrl(URI.create("https://app.adestra.com/api/rest/1"))
 *     .apiKey(SecretRef.file("/opt/mirror/secrets/adestra-api-key"))
 *     .expectedLists(Set.of(678L, 679L))
 *     .deadLetterSink(fileSink)
 *     .build();
 * stream.sinkTo(sink).uid("adestra-sink"); // required: names the sink's keyed state in savepoints
 * }</pre>
 */
@PublicEvolving
public final class AdestraSinkBuilder extends HttpSinkBuilder<AdestraSinkBuilder> {
    private String authScheme = AdestraSinkConfig.DEFAULT_AUTH_SCHEME;
    private int maxConcurrency = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
    private Set<Long> expectedLists = Set.of();
    private Duration settleDelay;

    AdestraSinkBuilder() {
        super(Duration.ofSeconds(10));
    }

    @Override
    protected AdestraSinkBuilder self() {
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

    /** The lists this job writes to: the preflight fails the job at start if one does not exist. */
    public AdestraSinkBuilder expectedLists(Set<Long> expectedLists) {
        this.expectedLists = Set.copyOf(expectedLists);
        return this;
    }

    /**
     * How long after an uncertain key's newest operation is acknowledged it is sent once more: a key
     * is uncertain when a call of it got no answer or a 5xx (it may still take effect, late) or was
     * restored after a failover. Longer than any server holds a request; at least the request
     * timeout, or zero to never re-send. Default: {@value AdestraSinkConfig#DEFAULT_SETTLE_DELAY_TIMEOUTS}
     * request timeouts.
     */
    public AdestraSinkBuilder settleDelay(Duration settleDelay) {
        this.settleDelay = Objects.requireNonNull(settleDelay, "settleDelay");
        return this;
    }

    public AdestraSink build() {
        URI baseUrl = checkedBaseUrl();
        SecretRef apiKey = checkedApiKey();
        Duration apiKeyCheckInterval = checkedApiKeyCheckInterval();
        if (!AdestraSinkConfig.AUTH_SCHEME.matcher(authScheme).matches()) {
            throw new IllegalArgumentException("authScheme must be one word such as TOKEN, was '" + authScheme + "'");
        }
        if (maxConcurrency < 1 || maxConcurrency > AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT) {
            throw new IllegalArgumentException("maxConcurrency must be between 1 and "
                    + AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT + " (Adestra's limit per account), was " + maxConcurrency);
        }
        Duration requestTimeout = checkedRequestTimeout();
        Duration settle = settleDelay != null ? settleDelay
                : requestTimeout.multipliedBy(AdestraSinkConfig.DEFAULT_SETTLE_DELAY_TIMEOUTS);
        if (!settle.isZero() && settle.compareTo(requestTimeout) < 0) {
            throw new IllegalArgumentException("settleDelay must be zero (never re-send) or at least the request timeout ("
                    + requestTimeout + "), was " + settle);
        }
        int maxBufferedOperations = getMaxBufferedOperations(100_000);
        if (maxBufferedOperations < 1) {
            throw new IllegalArgumentException("maxBufferedOperations must be at least 1, was " + maxBufferedOperations);
        }
        Sink<DeadLetter> deadLetterSink = checkedDeadLetterSink("operations");
        AdestraSinkConfig config = new AdestraSinkConfig(baseUrl, apiKey, apiKeyCheckInterval, authScheme, maxConcurrency, requestTimeout,
                getRetryPolicy(), maxBufferedOperations, Set.copyOf(new TreeSet<>(expectedLists)), getPreflight(), settle);
        return new AdestraSink(config, deadLetterSink);
    }
}

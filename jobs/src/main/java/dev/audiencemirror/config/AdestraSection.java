package dev.audiencemirror.config;

import dev.audiencemirror.connector.adestra.AdestraSinkConfig;
import dev.audiencemirror.connector.common.SecretRef;
import java.time.Duration;
import java.util.Optional;

/** {@code adestra:}; its limits are the connector's. */
final class AdestraSection {
    static final String KEY = "adestra";

    private AdestraSection() {}

    static AdestraSettings read(Fields root) {
        Fields f = root.mapping(KEY);
        Endpoint url = DestinationFields.baseUrl(f);
        Optional<SecretRef> key = DestinationFields.apiKey(f, url);
        String scheme = f.string("auth-scheme", AdestraSinkConfig.DEFAULT_AUTH_SCHEME);
        if (scheme != null && !AdestraSinkConfig.AUTH_SCHEME.matcher(scheme).matches()) {
            f.problem("auth-scheme", "must be one word such as TOKEN or Bearer, found '" + scheme + "'");
        }
        int limit = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
        int maxConcurrency = f.integer("max-concurrency", limit, 1, limit,
                "Adestra allows at most " + limit + " concurrent connections per account");
        var r = DestinationFields.requests(f, Duration.ofSeconds(10));
        // The default (a few request timeouts) is the connector's; off = never re-send.
        Duration settleDelay = f.durationOrOff("settle-delay",
                Optional.of(r.timeout().multipliedBy(AdestraSinkConfig.DEFAULT_SETTLE_DELAY_TIMEOUTS)), r.timeout(),
                "adestra.request-timeout (" + r.timeout().toMillis() + "ms)").orElse(Duration.ZERO);
        return new AdestraSettings(url, key, scheme, maxConcurrency, r.timeout(), r.maxAttempts(), r.maxRetryTime(),
                r.maxBackoff(), settleDelay);
    }
}

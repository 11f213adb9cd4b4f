package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.Secret;
import java.time.Duration;
import java.util.Optional;

/** How to reach Adestra and how hard to push it. */
public record AdestraSettings(
        Endpoint baseUrl,
        Optional<Secret> apiKey,
        String authScheme,
        int maxConcurrency,
        Duration requestTimeout,
        int maxAttempts,
        Duration maxRetryTime) {

    /** Adestra allows at most 10 concurrent connections per account. */
    public static final int MAX_CONCURRENCY_LIMIT = 10;
}

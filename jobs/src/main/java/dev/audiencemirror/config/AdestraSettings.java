package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.SecretRef;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach Adestra and how hard to push it.
 *
 * @param maxAttempts the nightly run's limit per operation (see {@link #boundedRetries()})
 * @param maxRetryTime the nightly run's limit per operation (see {@link #boundedRetries()})
 * @param maxBackoff the longest wait between two attempts, for both jobs
 * @param settleDelay when an uncertain key's newest operation is sent once more; zero = never
 */
public record AdestraSettings(
        Endpoint baseUrl,
        Optional<SecretRef> apiKey,
        String authScheme,
        int maxConcurrency,
        Duration requestTimeout,
        int maxAttempts,
        Duration maxRetryTime,
        Duration maxBackoff,
        Duration settleDelay)
        implements DestinationSettings {}

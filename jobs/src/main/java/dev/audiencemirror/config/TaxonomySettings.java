package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.SecretRef;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the Permutive Taxonomy API and how to batch for it.
 *
 * @param maxAttempts the nightly run's limit per batch (see {@link #boundedRetries()})
 * @param maxRetryTime the nightly run's limit per batch (see {@link #boundedRetries()})
 * @param maxBackoff the longest wait between two attempts, for both jobs
 * @param settleDelay when an uncertain code's newest operation is sent once more; zero = never
 */
public record TaxonomySettings(
        Endpoint baseUrl,
        String importId,
        Optional<SecretRef> apiKey,
        SyncMode syncMode,
        int batchSize,
        Duration linger,
        Duration requestTimeout,
        int maxAttempts,
        Duration maxRetryTime,
        Duration maxBackoff,
        Duration settleDelay)
        implements DestinationSettings {}

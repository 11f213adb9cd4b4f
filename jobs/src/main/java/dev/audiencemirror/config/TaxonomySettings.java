package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.Secret;
import java.time.Duration;
import java.util.Optional;

/** How to reach the Permutive Taxonomy API and how to batch for it. */
public record TaxonomySettings(
        Endpoint baseUrl,
        String importId,
        Optional<Secret> apiKey,
        SyncMode syncMode,
        int batchSize,
        Duration linger,
        Duration requestTimeout,
        int maxAttempts,
        Duration maxRetryTime) {

    /** The API refuses more operations than this in one PATCH. */
    public static final int MAX_BATCH_SIZE = 5000;
}

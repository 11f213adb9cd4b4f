package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.taxonomy.TaxonomySinkConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code taxonomy:}; its limits are the connector's. */
final class TaxonomySection {
    static final String KEY = "taxonomy";
    private static final Pattern IMPORT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private TaxonomySection() {}

    /** @param rootMode the file's {@code sync-mode}, this section's default */
    static TaxonomySettings read(Fields root, SyncMode rootMode) {
        Fields f = root.mapping(KEY);
        Endpoint url = DestinationFields.baseUrl(f);
        String importId = f.required("import-id", "the Permutive audience import whose segments are mirrored");
        if (importId != null && !IMPORT_ID.matcher(importId).matches()) {
            f.problem("import-id", "not an import ID (letters, digits, '-' and '_'), found '" + importId + "'");
        }
        Optional<SecretRef> key = DestinationFields.apiKey(f, url);
        SyncMode mode = f.syncMode("sync-mode", rootMode);
        int maxBatch = TaxonomySinkConfig.MAX_BATCH_SIZE;
        int batchSize = f.integer("batch-size", maxBatch, 1, maxBatch,
                "the Taxonomy API takes at most " + maxBatch + " operations per request");
        Duration linger = f.duration("linger", Duration.ofSeconds(1));
        var r = DestinationFields.requests(f, Duration.ofSeconds(30));
        // The default (a few request timeouts) is the connector's; off = never re-send.
        Duration settleDelay = f.durationOrOff("settle-delay",
                Optional.of(r.timeout().multipliedBy(TaxonomySinkConfig.DEFAULT_SETTLE_DELAY_TIMEOUTS)), r.timeout(),
                "taxonomy.request-timeout (" + r.timeout().toMillis() + "ms)").orElse(Duration.ZERO);
        return new TaxonomySettings(url, importId, key, mode, batchSize, linger, r.timeout(), r.maxAttempts(),
                r.maxRetryTime(), r.maxBackoff(), settleDelay);
    }
}

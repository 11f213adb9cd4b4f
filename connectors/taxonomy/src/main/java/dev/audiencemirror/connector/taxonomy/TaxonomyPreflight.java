package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.ResponseClass;
import dev.audiencemirror.connector.common.RetryAfter;
import dev.audiencemirror.connector.common.Preflight;
import dev.audiencemirror.connector.common.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Checks, before any batch is sent, that the key works, may write, and the import exists:
 *
 * <ol>
 *   <li>{@code GET /imports/{importId}}: 401 → the key is invalid; 403 → it may not even read;
 *       404 → the import does not exist.
 *   <li>A read-only key may read the import, so the GET cannot tell whether it may write. The
 *       preflight then sends an empty batch, {@code PATCH /imports/{importId}/segments} with
 *       {@code {"operations":[]}}: it changes nothing, and the API checks the key's access before
 *       the body. 403 → the key lacks write access; 2xx, or a 400/422 about the empty body, means
 *       the key passed the access check.
 * </ol>
 *
 * 429, 5xx, timeouts and dropped connections are retried with the sink's retry policy. Failures
 * name the import and where the key came from, never the key.
 */
final class TaxonomyPreflight {
    private TaxonomyPreflight() {}

    static void check(HttpClient client, TaxonomySinkConfig config, SegmentBatchRequestConverter converter, Secret key)
            throws IOException, InterruptedException {
        int status = send(client, config, () -> converter.readImport(key), "reading import " + config.importId());
        refuseSetupErrors(status, config, key);
        if (TaxonomyAnswerClass.of(status, null) != TaxonomyAnswerClass.APPLIED) {
            throw new IOException("Permutive preflight: reading import " + config.importId() + " answered HTTP " + status);
        }
        if (!config.preflightWriteCheck()) {
            return;
        }
        byte[] empty = "{\"operations\":[]}".getBytes(StandardCharsets.UTF_8);
        status = send(client, config, () -> converter.patch(empty, key), "checking write access to import "
                + config.importId());
        refuseSetupErrors(status, config, key);
        // An empty batch may be refused as a bad request: that answer already proves the key may write.
        TaxonomyAnswerClass kind = TaxonomyAnswerClass.of(status, null);
        if (kind != TaxonomyAnswerClass.APPLIED && kind != TaxonomyAnswerClass.REJECTED_ROWS) {
            throw new IOException("Permutive preflight: an empty batch for import " + config.importId()
                    + " answered HTTP " + status);
        }
    }

    static String invalidKey(int status, String when, Secret key) {
        return "Permutive rejected the API key (HTTP " + status + ")" + when + ": the key (" + described(key)
                + ") is invalid";
    }

    static String readOnlyKey(TaxonomySinkConfig config, int status, String when, Secret key) {
        return "The Permutive API key (" + described(key) + ") lacks write access to import "
                + config.importId() + " (HTTP " + status + ")" + when + ": Permutive API keys are read-only by"
                + " default; request write access for this key";
    }

    static String importNotFound(TaxonomySinkConfig config, String when) {
        return "Permutive import " + config.importId() + " not found (HTTP 404)" + when
                + ": check the import ID; Audience Mirror never creates imports";
    }

    /** Where the key is and which one it was, never the key. */
    private static String described(Secret key) {
        return key.source() + ", fingerprint " + key.fingerprintHex();
    }

    private static void refuseSetupErrors(int status, TaxonomySinkConfig config, Secret key) throws IOException {
        switch (TaxonomyAnswerClass.of(status, null)) {
            case INVALID_KEY -> throw Preflight.keyRefused(config.apiKey(), config.retryPolicy(), invalidKey(status, "", key));
            case READ_ONLY_KEY -> throw Preflight.keyRefused(config.apiKey(), config.retryPolicy(), readOnlyKey(config, status, "", key));
            case IMPORT_NOT_FOUND -> throw new Preflight.SetupException(importNotFound(config, ""));
            default -> {}
        }
    }

    /** Sends, retrying what the retry policy allows; the final status. */
    private static int send(HttpClient client, TaxonomySinkConfig config, Supplier<HttpRequest> request, String what)
            throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom();
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = null;
            IOException failure = null;
            try {
                response = client.send(request.get(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failure = e;
            }
            TaxonomyAnswerClass outcome = TaxonomyAnswerClass.of(response != null ? response.statusCode() : 0, failure);
            if (outcome != TaxonomyAnswerClass.RETRY) {
                return response.statusCode();
            }
            Optional<Duration> retryAfter = response == null
                    ? Optional.empty()
                    : RetryAfter.parse(response.headers().firstValue("Retry-After"), Clock.systemUTC());
            Optional<Duration> delay = config.retryPolicy().nextDelay(attempt,
                    Duration.ofNanos(System.nanoTime() - start), retryAfter, random.nextDouble());
            if (delay.isEmpty()) {
                if (response != null) {
                    return response.statusCode();
                }
                throw new IOException("Permutive preflight: cannot reach " + config.baseUrl() + " while " + what + ": "
                        + ResponseClass.describeFailure(failure), failure);
            }
            Thread.sleep(delay.get().toMillis());
        }
    }
}

package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.ResponseClass;
import dev.audiencemirror.connector.common.RetryAfter;
import dev.audiencemirror.connector.common.Preflight;
import dev.audiencemirror.connector.common.Secret;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Checks, before any batch is sent, that the key works and the import exists, with
 * {@code GET /imports/{importId}}: 401 → the key is invalid; 403 → it may not read the import;
 * 404 → the import does not exist; 400 → the import ID is not one (the API takes UUIDs).
 *
 * <p>Whether the key may <em>write</em> cannot be asked without writing (Permutive keys are
 * read-only unless write access was granted, and the published contract answers an empty batch
 * 400 before it looks at the key), so it is known at the first batch: a 403 there, also after the
 * key was read again, fails the run with {@link #readOnlyKey}.
 *
 * 429, 5xx, timeouts and dropped connections are retried with the sink's retry policy. Failures
 * name the import and where the key came from, never the key.
 */
final class TaxonomyPreflight {
    private TaxonomyPreflight() {}

    static void check(HttpClient client, TaxonomySinkConfig config, SegmentBatchRequestConverter converter, Secret key)
            throws IOException, InterruptedException {
        HttpResponse<String> answer = send(client, config, () -> converter.readImport(key), "reading import " + config.importId());
        int status = answer.statusCode();
        switch (status) {
            case 401 -> throw Preflight.keyRefused(config.apiKey(), config.retryPolicy(), invalidKey(status, "", key));
            case 403 -> throw Preflight.keyRefused(config.apiKey(), config.retryPolicy(), "The Permutive API key ("
                    + described(key) + ") may not read import " + config.importId() + " (HTTP 403: "
                    + ApiError.of(status, answer.body()).describe() + "): check that the key belongs to this import's workspace");
            case 404 -> throw new Preflight.SetupException(importNotFound(config, ""));
            case 400 -> throw new Preflight.SetupException("Permutive refused import ID " + config.importId()
                    + " (HTTP 400: " + ApiError.of(status, answer.body()).describe() + "): import IDs are UUIDs;"
                    + " copy it from the import's page in the Permutive dashboard");
            default -> {}
        }
        if (TaxonomyAnswerClass.of(status, null) != TaxonomyAnswerClass.APPLIED) {
            throw new IOException("Permutive preflight: reading import " + config.importId() + " answered HTTP " + status
                    + ": " + ApiError.of(status, answer.body()).describe());
        }
    }

    static String invalidKey(int status, String when, Secret key) {
        return "Permutive rejected the API key (HTTP " + status + ")" + when + ": the key (" + described(key)
                + ") is invalid";
    }

    static String readOnlyKey(TaxonomySinkConfig config, int status, String when, Secret key) {
        return "The Permutive API key (" + described(key) + ") lacks write access to import "
                + config.importId() + " (HTTP " + status + ")" + when + ": Permutive API keys are read-only by"
                + " default; ask Permutive for write access to the Taxonomy API for this key";
    }

    static String importNotFound(TaxonomySinkConfig config, String when) {
        return "Permutive import " + config.importId() + " not found (HTTP 404)" + when
                + ": check the import ID; Audience Mirror never creates imports";
    }

    /** Where the key is and which one it was, never the key. */
    private static String described(Secret key) {
        return key.source() + ", fingerprint " + key.fingerprintHex();
    }

    /** Sends, retrying what the retry policy allows; the final answer. */
    static HttpResponse<String> send(HttpClient client, TaxonomySinkConfig config, Supplier<HttpRequest> request, String what)
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
                return response;
            }
            Optional<Duration> retryAfter = response == null
                    ? Optional.empty()
                    : RetryAfter.parse(response.headers().firstValue("Retry-After"), Clock.systemUTC());
            Optional<Duration> delay = config.retryPolicy().nextDelay(attempt,
                    Duration.ofNanos(System.nanoTime() - start), retryAfter, random.nextDouble());
            if (delay.isEmpty()) {
                if (response != null) {
                    return response;
                }
                throw new IOException("Permutive preflight: cannot reach " + config.baseUrl() + " while " + what + ": "
                        + ResponseClass.describeFailure(failure), failure);
            }
            Thread.sleep(delay.get().toMillis());
        }
    }
}

package dev.audiencemirror.connector.adestra;

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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks, before anything is sent, that the key works and every expected list exists, by reading
 * each list ({@code GET /lists/{id}}). Lists are never created: a missing one is the customer's to
 * create in Adestra. Throttling and server errors are retried with the sink's retry policy, so a
 * busy API does not fail a start. Failures say what to fix and never include the key.
 */
final class AdestraPreflight {
    private AdestraPreflight() {}

    /**
     * Why the job stops after a 401/403; {@code when} e.g. {@code " while sending"}. Names where the
     * key is, never the key. Adestra answers a valid key the same way when the caller's IP is not on
     * the key's allow-list, or the key has no access to the workspace of the list: the two causes
     * its users meet most, which the key alone does not explain, so the message names them too.
     */
    static String rejectedKey(int status, String when, Secret key) {
        return "Adestra rejected the API key (HTTP " + status + ")" + when + ": the key (" + key.source()
                + ", fingerprint " + key.fingerprintHex() + ") is invalid or lacks permission to manage contacts and lists;"
                + " Adestra also refuses a valid key when the IP address Audience Mirror calls from is not on the key's"
                + " IP allow-list, and when the key has no access to the workspace that holds the lists";
    }

    /** @param retried called before each request tried again */
    static void check(HttpClient client, AdestraSinkConfig config, Secret key, Runnable retried)
            throws IOException, InterruptedException {
        for (long listId : config.expectedLists()) {
            checkList(client, config, key, listId, retried);
        }
    }

    private static void checkList(HttpClient client, AdestraSinkConfig config, Secret key, long listId, Runnable retried)
            throws IOException, InterruptedException {
        HttpRequest request = ListOperationRequestConverter.readList(config, listId, key);
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            String problem;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                switch (ResponseClass.ofStatus(status)) {
                    case SUCCESS -> {
                        return;
                    }
                    case AUTH -> throw Preflight.keyRefused(config.apiKey(), config.retryPolicy(), rejectedKey(status, "", key));
                    case PERMANENT -> {
                        if (status == 404) {
                            throw new Preflight.SetupException("Adestra list " + listId + " does not exist; lists are never created"
                                    + " by Audience Mirror: create it in Adestra or fix the activation that names it");
                        }
                        throw new Preflight.SetupException("Adestra preflight: reading list " + listId + " answered HTTP " + status);
                    }
                    default -> {
                        problem = "HTTP " + status;
                        retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After"), Clock.systemUTC());
                    }
                }
            } catch (IOException e) {
                if (e instanceof Preflight.SetupException || e instanceof Preflight.KeyRefusedException) {
                    throw e;
                }
                problem = ResponseClass.describeFailure(e);
            }
            Optional<Duration> delay = config.retryPolicy().nextDelay(attempt, Duration.ofNanos(System.nanoTime() - started),
                    retryAfter, ThreadLocalRandom.current().nextDouble());
            if (delay.isEmpty()) {
                throw new IOException("Adestra preflight: cannot read list " + listId + " at " + config.baseUrl() + " after "
                        + attempt + " attempts; last: " + problem);
            }
            retried.run();
            Thread.sleep(delay.get().toMillis());
        }
    }
}

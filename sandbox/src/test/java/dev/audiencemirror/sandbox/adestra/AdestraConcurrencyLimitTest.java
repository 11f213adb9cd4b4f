package dev.audiencemirror.sandbox.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 10-in-flight limit per key. A latency fault holds every admitted request for a second, so all
 * of a burst's requests overlap and the outcome does not depend on timing.
 */
class AdestraConcurrencyLimitTest {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).imports("7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d").build();

    private static final FaultConfig HOLD = FaultConfig.builder().latencyMs(1000).retryAfterSeconds(2).build();

    @Test
    void elevenHeldRequestsGetAtLeastOne429WithRetryAfter() {
        sandbox.setFaults(HOLD);
        List<HttpResponse<String>> answers = burst(11);

        List<HttpResponse<String>> throttled = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(throttled).isNotEmpty();
        assertThat(throttled).allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After")).hasValue("2"));
        assertThat(answers).filteredOn(r -> r.statusCode() == 204).hasSize(11 - throttled.size());
        SandboxStats stats = sandbox.client().stats();
        assertThat(stats.maxConcurrencySeen(sandbox.adestraKey())).isEqualTo(11);
        assertThat(stats.requests(Endpoint.ADESTRA_ADD, 429)).isEqualTo(throttled.size());
        assertThat(sandbox.client().listContacts(678)).hasSize(11 - throttled.size());
    }

    @Test
    void tenHeldRequestsAreAllServed() {
        sandbox.setFaults(HOLD);
        List<HttpResponse<String>> answers = burst(10);

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(204);
        assertThat(sandbox.client().stats().maxConcurrencySeen(sandbox.adestraKey())).isEqualTo(10);
        assertThat(sandbox.client().listContacts(678)).hasSize(10);
    }

    /**
     * A client that never has more than 10 requests open is never throttled, however fast it goes:
     * the sandbox stops counting a request before its answer can reach the client.
     */
    @Test
    void tenClosedLoopClientsAtFullSpeedAreNeverThrottled() throws Exception {
        ApiCalls api = new ApiCalls(sandbox);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            int base = t * 1000;
            results.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    statuses.add(api.adestra("POST", base + i, 678).statusCode());
                }
                return statuses;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        for (Future<List<Integer>> f : results) {
            assertThat(f.get()).containsOnly(204);
        }
        assertThat(sandbox.client().stats().maxConcurrencySeen(sandbox.adestraKey())).isBetween(1, 10);
        assertThat(sandbox.client().listContacts(678)).hasSize(2000);
    }

    @Test
    void theLimitIsPerAdestraKeyOnlyTaxonomyIsNotLimited() {
        sandbox.setFaults(HOLD);
        ApiCalls api = new ApiCalls(sandbox);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            calls.add(ApiCalls.HTTP.sendAsync(api.request("/imports/7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d").header("X-Api-Key", sandbox.permutiveKey())
                    .GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsOnly(200);
        assertThat(sandbox.client().stats().maxConcurrencySeen(sandbox.permutiveKey())).isEqualTo(15);
    }

    private static List<HttpResponse<String>> burst(int n) {
        ApiCalls api = new ApiCalls(sandbox);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpRequest post = api.request("/contacts/" + i + "/lists/678")
                    .header("Authorization", "TOKEN " + sandbox.adestraKey())
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            calls.add(ApiCalls.HTTP.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }
}

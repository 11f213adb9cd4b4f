package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Requests per second on loopback with no faults, measured with the JDK HttpClient (HTTP/1.1,
 * keep-alive) from closed-loop client threads: each sends POST then DELETE of its own contacts,
 * so every request changes state and the end state can be checked. A JIT warm-up round comes first.
 * Run: {@code mvn -B -ntp -o -pl sandbox test -Dsurefire.excludedGroups=none -Dgroups=benchmark}
 */
@Tag("benchmark")
class SandboxThroughputBenchmarkTest {

    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 10_000);
    private static final long MEASURE_MS = Long.getLong("bench.measureMs", 10_000);
    private static final boolean DIRECT_EXECUTOR =
            Boolean.parseBoolean(System.getProperty("bench.directExecutor", "true"));
    private static final double REQUIRED = 5_000;

    @Test
    void tenConnectionsTheAdestraLimit() throws Exception {
        try (SandboxServer s = SandboxServer.builder().lists(678).build().start()) {
            run(s, 10, WARMUP_MS, "warm-up");
            double rate = run(s, 10, MEASURE_MS, "10 connections (the Adestra per-key limit)");
            assertThat(rate).isGreaterThanOrEqualTo(REQUIRED);
        }
    }

    @Test
    void thirtyTwoConnections() throws Exception {
        try (SandboxServer s = SandboxServer.builder().lists(678).adestraConcurrencyLimit(32).build().start()) {
            run(s, 32, WARMUP_MS, "warm-up");
            double rate = run(s, 32, MEASURE_MS, "32 connections (limit raised to 32)");
            assertThat(rate).isGreaterThanOrEqualTo(REQUIRED);
        }
    }

    /** Returns requests per second; checks nothing was lost, failed or double-applied. */
    private static double run(SandboxServer s, int connections, long millis, String label) throws Exception {
        s.reset();
        // A direct executor spares the client a thread hand-off per response (-Dbench.directExecutor=false to compare).
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (DIRECT_EXECUTOR) {
            builder.executor(Runnable::run);
        }
        HttpClient client = builder.build();
        String auth = "TOKEN " + s.adestraKey();
        AtomicLong sent = new AtomicLong();
        AtomicLong races = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<Long>> results = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        for (int t = 0; t < connections; t++) {
            long base = t * 100_000_000L;
            results.add(pool.submit(() -> {
                long pairs = 0;
                while (System.nanoTime() < end) {
                    for (String method : new String[] {"POST", "DELETE"}) {
                        HttpRequest r = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/contacts/" + (base + pairs)
                                + "/lists/678")).header("Authorization", auth)
                                .method(method, HttpRequest.BodyPublishers.noBody()).build();
                        int status;
                        try {
                            status = client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            if (!ApiCalls.isClientPoolRace(e)) {
                                throw e;
                            }
                            races.incrementAndGet();
                            status = client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                        }
                        if (status != 204) {
                            throw new AssertionError(method + " answered " + status);
                        }
                        sent.incrementAndGet();
                    }
                    pairs++;
                }
                return pairs;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(millis + 60_000, TimeUnit.MILLISECONDS)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        long pairs = 0;
        for (Future<Long> f : results) {
            pairs += f.get();
        }
        double rate = sent.get() / seconds;
        System.out.printf("sandbox throughput, %s: %d requests in %.1f s = %.0f requests/s"
                + " (client pool races retried: %d)%n", label, sent.get(), seconds, rate, races.get());

        // Nothing lost, nothing applied twice; a request repeated after the JDK client race
        // (ApiCalls.isClientPoolRace) may have landed twice, idempotently.
        SandboxStats stats = s.stats();
        assertThat(stats.requests(Endpoint.ADESTRA_ADD, 204) + stats.requests(Endpoint.ADESTRA_REMOVE, 204))
                .isBetween(sent.get(), sent.get() + races.get());
        assertThat(stats.applied(SandboxStats.ADESTRA_ADDED)).isEqualTo(pairs);
        assertThat(stats.applied(SandboxStats.ADESTRA_REMOVED)).isEqualTo(pairs);
        assertThat(stats.applied(SandboxStats.ADESTRA_UNCHANGED)).isLessThanOrEqualTo(races.get());
        assertThat(stats.maxConcurrencySeen(s.adestraKey())).isLessThanOrEqualTo(connections);
        assertThat(s.client().listContacts(678)).isEmpty();
        return rate;
    }
}

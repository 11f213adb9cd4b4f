package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throughput against Adestra's own ceiling: with every answer taking 20 ms and 10 connections, no
 * client can do more than 500 operations/s. Prints the achieved rate beside that ceiling. Run with
 * {@code mvn -pl connectors/adestra -am test -Dsurefire.excludedGroups=none -Dgroups=benchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=AdestraSinkBenchmarkTest}.
 */
@Tag("benchmark")
class AdestraSinkBenchmarkTest {
    private static final int LATENCY_MS = 20;
    private static final int CONNECTIONS = 10;
    private static final int OPERATIONS = 10_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678).build();

    @Test
    void reachesTheConcurrencyCeiling() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(LATENCY_MS).seed(1L).build());
        // Warm-up: JIT, connection pool and Flink's classes, so the measured run is the steady state.
        run(ListAction.ADD, 3_000);
        SANDBOX.reset();
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(LATENCY_MS).seed(1L).build());
        run(ListAction.ADD, OPERATIONS);

        double rate = measuredRate();
        int maxSeen = SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey());
        assertThat(SANDBOX.client().listContacts(678)).hasSize(OPERATIONS);

        // Baseline in the same run: 10 threads each sending one request after another, the best a
        // client can do against this sandbox on this machine.
        SANDBOX.reset();
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(LATENCY_MS).seed(1L).build());
        rawClient(OPERATIONS);
        double raw = measuredRate();

        double ceiling = CONNECTIONS * 1000.0 / LATENCY_MS;
        System.out.printf("%nAdestra sink, %d ADDs, %d connections, sandbox answering in %d ms:%n"
                + "  theoretical ceiling  %6.0f ops/s%n"
                + "  raw 10-thread client %6.0f ops/s (%.1f%% of the ceiling)%n"
                + "  Adestra sink         %6.0f ops/s (%.1f%% of the ceiling, %.1f%% of the raw client)%n"
                + "  max concurrency seen %d%n%n", OPERATIONS, CONNECTIONS, LATENCY_MS, ceiling, raw, 100 * raw / ceiling,
                rate, 100 * rate / ceiling, 100 * rate / raw, maxSeen);
        assertThat(maxSeen).isLessThanOrEqualTo(CONNECTIONS);
    }

    /** Requests per second between the first and the last ADD the sandbox logged. */
    private static double measuredRate() {
        List<LogEntry> adds = SANDBOX.client().log(0).stream()
                .filter(e -> e.endpoint().equals(Endpoint.ADESTRA_ADD.label()))
                .toList();
        double seconds = (adds.get(adds.size() - 1).timeMs() - adds.get(0).timeMs() + LATENCY_MS) / 1000.0;
        return adds.size() / seconds;
    }

    private static void rawClient(int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            done.add(threads.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    client.send(HttpRequest.newBuilder(URI.create(SANDBOX.baseUrl() + "/contacts/" + (200_000 + i) + "/lists/678"))
                                    .header("Authorization", "TOKEN " + SANDBOX.adestraKey())
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
    }

    private static void run(ListAction action, int count) throws Exception {
        List<ListOperation> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(new ListOperation(Integer.toString(100_000 + i), 678, action, i, i + 1));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(ops, TypeInformation.of(ListOperation.class))
                .sinkTo(AdestraSink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(SecretRef.notSecret(SANDBOX.adestraKey(), "the sandbox\'s key"))
                        .maxConcurrency(CONNECTIONS)
                        .expectedLists(Set.of(678L))
                        .deadLetterSink(new CollectingSink<>())
                        .build())
                .uid("adestra-sink");
        env.execute("adestra benchmark " + count);
    }
}

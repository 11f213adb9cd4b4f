package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxClient;
import dev.audiencemirror.sandbox.SandboxServer;
import dev.audiencemirror.testing.TestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end latency of the streaming job on its production defaults (RocksDB, incremental
 * checkpoints every 1 s, a 1 s window, parallelism 2), from an event's append to the Kafka log
 * (the topic uses {@code LogAppendTime}, so the broker stamps it) to the sandbox applying the
 * Adestra call it causes, at a steady 5,000 events/s.
 *
 * <p>The event mix: half for cohorts that are not activated (parsed and dropped), 5% changing a
 * (user, cohort) membership, the rest repeating what the job last sent for a pair (no call; an
 * exit for a pair the job never sent anything for is a call, a REMOVE: the list may hold the
 * contact from a nightly run, so those are not "repeats"). Each
 * (contact, list) enters once and may leave once, at least 10 s later, so every change is exactly
 * one call and the call is matched to its event by (contact, list, action). The sandbox answers
 * in 20 ms, so the account's 10 connections carry at most 500 calls/s: 5% of 5,000 events/s is
 * half of that (a stream whose changes outrun the account's ceiling queues in the sink, and its
 * latency grows without bound whatever the job does). Changes in the first 10 s (warm-up) are
 * not counted. The run ends with the lists checked against the events.
 *
 * <pre>
 * mvn -B -ntp -pl jobs -am test -Dsurefire.excludedGroups=none -Dgroups=benchmark \
 *     -Dtest=StreamLatencyBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * # -Dbench.rate=5000 (events/s) -Dbench.seconds=40 -Dbench.parallelism=2 -Dbench.changes=0.05
 * # -Dbench.apiLatencyMs=20
 * </pre>
 */
@Tag("benchmark")
class StreamLatencyBenchmarkTest {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    // RocksDB's memory comes from managed memory: a MiniCluster's default is too small for it.
    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2, org.apache.flink.configuration.Configuration.fromMap(
            Map.of("taskmanager.memory.managed.size", "256m")));

    private static final int RATE = Integer.getInteger("bench.rate", 5000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 40);
    private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);
    /** Share of events that change a membership, each one Adestra call. */
    private static final double CHANGES = Double.parseDouble(System.getProperty("bench.changes", "0.05"));
    /** The sandbox's answer time: the account's 10 connections then carry at most 10 / latency calls/s. */
    private static final int API_LATENCY_MS = Integer.getInteger("bench.apiLatencyMs", 20);
    private static final long WARM_UP_MS = 10_000;
    private static final String[] ACTIVATED = {"c1", "c2", "c3"};
    private static final long[] LISTS = {678, 679, 680};
    private static final String ENTRY_HEAD = "{\"name\":\"SegmentEntry\",\"user_id\":\"u";
    private static final String EXIT_HEAD = "{\"name\":\"SegmentExit\",\"user_id\":\"u";
    private static final String SEGMENT = "\",\"properties\":{\"segment_id\":\"";
    private static final String TIME = "\"},\"time\":\"";

    @TempDir
    Path dir;

    private record Change(long contact, long list, boolean add) {}

    @Test
    void latencyFromKafkaAppendToTheCallAt5000EventsPerSecond() throws Exception {
        KAFKA.createTopics(3, Map.of("message.timestamp.type", "LogAppendTime"), "identities", "events");
        int users = (int) (RATE * SECONDS * CHANGES / 3) + 1000; // enough (user, cohort) pairs for the entries
        try (SandboxServer sandbox = SandboxServer.builder().port(0).lists(678L, 679L, 680L).imports("imp")
                .logCapacity(2_000_000).build().start()) {
            sandbox.setFaults(dev.audiencemirror.sandbox.fault.FaultConfig.builder().latencyMs(API_LATENCY_MS).build());
            MirrorConfig config = config(sandbox);
            Properties p = KAFKA.clientProperties();
            p.put("key.serializer", ByteArraySerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            p.put("linger.ms", "2");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                    Destinations destinations = Destinations.open(config, dir.resolve("sandbox.json"))) {
                for (int u = 0; u < users; u++) {
                    producer.send(new ProducerRecord<>("identities", bytes(("{\"user_id\":\"u%d\",\"aliases\":[{\"tag\":"
                            + "\"adestra\",\"id\":\"%d\",\"priority\":0}],\"time\":\"2026-11-27T00:00:00Z\"}")
                            .formatted(u, 100_000 + u))));
                }
                producer.flush();

                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config));
                env.setParallelism(PARALLELISM);
                StreamJob.define(env, config, StreamConnections.forConfig(config), destinations);
                JobClient job = env.executeAsync("stream latency benchmark");
                try {
                    // Wait until the identities are in state: the first calls would otherwise wait on them.
                    Thread.sleep(8000);
                    Map<Change, Future<RecordMetadata>> sent = new HashMap<>();
                    boolean[][] in = new boolean[users][3];
                    long produced = produce(producer, users, in, sent);
                    long expectedCalls = sent.size();

                    SandboxClient client = sandbox.client();
                    Map<Change, Long> applied = new HashMap<>();
                    long since = 0;
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (!applied.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
                        var page = client.logPage(since, 20_000);
                        for (LogEntry e : page.entries()) {
                            Change c = change(e);
                            if (c != null) {
                                applied.putIfAbsent(c, e.timeMs());
                            }
                        }
                        since = page.nextSince();
                        if (page.entries().isEmpty()) {
                            Thread.sleep(200);
                        }
                    }
                    report(sent, applied, produced, sandbox, in);
                } finally {
                    job.cancel().get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Produces RATE events/s for SECONDS seconds; every change's send future goes into {@code sent}. */
    private static long produce(KafkaProducer<byte[], byte[]> producer, int users, boolean[][] in,
            Map<Change, Future<RecordMetadata>> sent) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        ArrayDeque<long[]> exitable = new ArrayDeque<>(); // {user, cohort, entry time}
        int nextPair = 0;
        long micros = 0;
        long start = System.currentTimeMillis();
        long total = (long) RATE * SECONDS;
        int perTick = RATE / 100;
        long n = 0;
        while (n < total) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < perTick; i++, n++) {
                // Strictly increasing event times (µs): a tie would keep whichever came first.
                micros = Math.max(micros + 1, now * 1000);
                String time = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000).toString();
                double kind = random.nextDouble();
                int user;
                String cohort;
                boolean entry;
                if (kind < 0.5) {
                    user = random.nextInt(users);
                    cohort = "o" + random.nextInt(5);
                    entry = random.nextBoolean();
                } else if (kind >= 0.5 + CHANGES || nextPair >= users * 3) {
                    if (nextPair == 0) {
                        user = random.nextInt(users);
                        cohort = "o" + random.nextInt(5);
                        entry = true;
                    } else {
                        // What the job last sent for a pair already says: an entry for a pair that
                        // is in, an exit for one that left.
                        int pair = random.nextInt(nextPair);
                        user = pair / 3;
                        int c = pair % 3;
                        cohort = ACTIVATED[c];
                        entry = in[user][c];
                    }
                } else if (!exitable.isEmpty() && now - exitable.peekFirst()[2] > 10_000 && random.nextBoolean()) {
                    long[] pair = exitable.pollFirst();
                    user = (int) pair[0];
                    int c = (int) pair[1];
                    cohort = ACTIVATED[c];
                    entry = false;
                    in[user][c] = false;
                    sent.put(new Change(100_000 + user, LISTS[c], false), null);
                } else {
                    user = nextPair / 3;
                    int c = nextPair % 3;
                    nextPair++;
                    cohort = ACTIVATED[c];
                    entry = true;
                    in[user][c] = true;
                    exitable.addLast(new long[] {user, c, now});
                    sent.put(new Change(100_000 + user, LISTS[c], true), null);
                }
                // Concatenated, not formatted: at 20,000 events/s the producer shares the 2 cores with the job.
                var future = producer.send(new ProducerRecord<>("events", bytes((entry ? ENTRY_HEAD : EXIT_HEAD) + user
                        + SEGMENT + cohort + TIME + time + "\"}")));
                Change key = new Change(100_000 + user, LISTS[indexOf(cohort)], entry);
                if (sent.containsKey(key) && sent.get(key) == null) {
                    sent.put(key, future);
                }
            }
            long next = start + (n * 1000 / RATE);
            long sleep = next - System.currentTimeMillis();
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        producer.flush();
        long took = System.currentTimeMillis() - start;
        System.out.printf("produced %,d events in %.1f s (%,.0f events/s), %,d of them changes%n", n, took / 1000.0,
                n * 1000.0 / took, sent.size());
        return n;
    }

    private static int indexOf(String cohort) {
        for (int i = 0; i < ACTIVATED.length; i++) {
            if (ACTIVATED[i].equals(cohort)) {
                return i;
            }
        }
        return 0;
    }

    /** The Adestra call a log entry applied, or null. Paths: /contacts/{contact}/lists/{list}. */
    private static Change change(LogEntry e) {
        if (!e.applied() || !e.path().startsWith("/contacts/")) {
            return null;
        }
        String[] parts = e.path().split("/");
        if (parts.length < 5 || !parts[3].equals("lists")) {
            return null;
        }
        return new Change(Long.parseLong(parts[2]), Long.parseLong(parts[4]), e.method().equals("POST"));
    }

    private static void report(Map<Change, Future<RecordMetadata>> sent, Map<Change, Long> applied, long produced,
            SandboxServer sandbox, boolean[][] in) throws Exception {
        long first = Long.MAX_VALUE;
        Map<Change, Long> appended = new HashMap<>();
        for (var e : sent.entrySet()) {
            long t = e.getValue().get().timestamp();
            appended.put(e.getKey(), t);
            first = Math.min(first, t);
        }
        List<Long> latencies = new ArrayList<>();
        int missing = 0;
        int superseded = 0;
        for (var e : appended.entrySet()) {
            Long at = applied.get(e.getKey());
            Change c = e.getKey();
            if (at == null && c.add() && applied.containsKey(new Change(c.contact(), c.list(), false))) {
                // Still queued in the sink when the pair's exit came: the sink sent only the newest.
                superseded++;
            } else if (at == null) {
                missing++;
            } else if (e.getValue() - first >= WARM_UP_MS) {
                latencies.add(at - e.getValue());
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%n%-44s %s%n", "events produced", String.format("%,d at %,d/s", produced, RATE));
        System.out.printf("%-44s %,d (%,d after the %d s warm-up)%n", "changes (one Adestra call each)", appended.size(),
                sorted.length, WARM_UP_MS / 1000);
        System.out.printf("%-44s %,d ms%n", "latency p50 (Kafka append -> sandbox applied)", pct(sorted, 50));
        System.out.printf("%-44s %,d ms%n", "latency p90", pct(sorted, 90));
        System.out.printf("%-44s %,d ms%n", "latency p99", pct(sorted, 99));
        System.out.printf("%-44s %,d ms%n", "latency max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        System.out.printf("%-44s window 1 s, checkpoints 1 s, RocksDB, parallelism %d%n", "job", PARALLELISM);
        System.out.printf("%-44s %d ms per call, 10 connections%n", "sandbox", API_LATENCY_MS);
        long unexpected = applied.keySet().stream().filter(c -> !appended.containsKey(c)).count();
        System.out.printf("%-44s %d%n", "adds superseded by their exit in the sink", superseded);
        System.out.printf("%-44s %d%n", "changes not applied at the end", missing);
        System.out.printf("%-44s %d%n%n", "calls that match no change", unexpected);
        applied.keySet().stream().filter(c -> !appended.containsKey(c)).limit(5)
                .forEach(c -> System.out.println("  unexpected: " + c));
        assertThat(missing).as("every change reached the sandbox").isZero();
        assertThat(sorted.length).as("changes measured").isGreaterThan(100);
        // The lists end equal to the events' membership.
        for (int c = 0; c < 3; c++) {
            java.util.SortedSet<Long> expected = new java.util.TreeSet<>();
            for (int u = 0; u < in.length; u++) {
                if (in[u][c]) {
                    expected.add(100_000L + u);
                }
            }
            assertThat(sandbox.client().listContacts(LISTS[c])).isEqualTo(expected);
        }
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private MirrorConfig config(SandboxServer sandbox) {
        return TestConfig.of(sandbox, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .taxonomy("import-id: imp")
                .kafka("bootstrap-servers: " + KAFKA.bootstrapServers(), "group-id: latency",
                        "topics: {identities: identities, events: events}")
                .stream("dead-letter-dir: " + dir.resolve("stream"))
                .flink("execution.checkpointing.dir: file://" + dir.resolve("checkpoints"))
                .load();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirror stream}'s status line, in file mode on a MiniCluster: after files are read, a
 * line with what was read, rejected and ignored per input, the operations sent and pending, and
 * the last checkpoint; none with {@code stream.status-interval: off}.
 */
class StreamStatusITCase {

    // Accumulators reach the client with the heartbeats; a local run beats every second too.
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            MiniClusters.oneTaskManager(2, Configuration.fromMap(Map.of("heartbeat.interval", "1 s")));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("993aa5cf-37d6-5dc9-91a6-5866e4d048e6").build();

    @TempDir
    Path dir;

    private static final AtomicInteger SECOND = new AtomicInteger();

    /** Three users, four entries into activated cohorts, one into another cohort, one bad line per input. */
    private static final List<String> IDENTITIES = List.of(
            identity("u1", 7001), identity("u2", 7002), "{\"user_id\":", identity("u3", 7003));
    private static final List<String> EVENTS = List.of(
            entry("u1", "c1"), entry("u2", "c1"), "this is not json", entry("u3", "c2"), entry("u1", "c2"),
            entry("u2", "other"), entry("u3", "c2"));
    private static final SortedMap<Long, SortedSet<Long>> EXPECTED = new TreeMap<>(Map.of(
            678L, new TreeSet<>(Set.of(7001L, 7002L)), 679L, new TreeSet<>(Set.of(7001L, 7003L))));

    private static String identity(String user, long contact) {
        return "{\"user_id\":\"" + user + "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"" + contact
                + "\",\"priority\":1}],\"time\":\"2026-11-27T08:00:00Z\"}";
    }

    private static String entry(String user, String cohort) {
        return "{\"name\":\"SegmentEntry\",\"user_id\":\"" + user + "\",\"properties\":{\"segment_id\":\"" + cohort
                + "\"},\"time\":\"2026-11-27T08:00:" + String.format("%02d", SECOND.incrementAndGet() % 60) + "Z\"}";
    }

    private Path config(String statusInterval) throws Exception {
        return TestConfig.of(SANDBOX, dir)
                .sandboxKeysInFiles()
                .activations("c1: 678, c2: 679")
                .taxonomy("import-id: 993aa5cf-37d6-5dc9-91a6-5866e4d048e6")
                .watchedFolders(dir.resolve("in"))
                .stream("window: 200ms", "dead-letter-dir: " + dir.resolve("stream"), "watch-interval: 200ms",
                        "status-interval: " + statusInterval)
                .checkpointsEvery("200 ms")
                .write("stream.yaml");
    }

    /** Runs {@code bin/mirror stream} as its main does, in a thread, until the test cancels the job. */
    private final class StreamRun implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Thread thread;
        final ClusterClient<?> client;

        StreamRun(Path config, ClusterClient<?> client) {
            this.client = client;
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            thread = new Thread(() -> new MirrorCli().run(new String[] {"stream", "--config", config.toString()}, print,
                    new PrintStream(err, true, StandardCharsets.UTF_8)), "bin/mirror stream");
            thread.start();
        }

        List<String> lines() {
            assertThat(thread.isAlive() || !lines(out).isEmpty()).as("the command runs; it said %s", lines(err)).isTrue();
            return lines(out);
        }

        static List<String> lines(ByteArrayOutputStream bytes) {
            return bytes.toString(StandardCharsets.UTF_8).lines().toList();
        }

        @Override
        public void close() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (thread.isAlive() && System.nanoTime() < deadline) {
                for (JobStatusMessage job : client.listJobs().get()) {
                    if (job.getJobState() == JobStatus.RUNNING) {
                        client.cancel(job.getJobId()).get();
                    }
                }
                thread.join(500);
            }
            assertThat(thread.isAlive()).as("the stream command ended with its job").isFalse();
        }
    }

    private void readInputsAndWaitForTheLists(StreamRun run) throws Exception {
        // Input before the job is up is fine: the source lists what is there when it starts.
        moveIn(dir.resolve("in/events"), "events-1.jsonl", EVENTS);
        moveIn(dir.resolve("in/identities"), "identities-1.jsonl", IDENTITIES);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!SANDBOX.client().contactsByList(678, 679).equals(EXPECTED) && System.nanoTime() < deadline) {
            assertThat(run.thread.isAlive()).as("the command runs; it said %s", StreamRun.lines(run.err)).isTrue();
            Thread.sleep(100);
        }
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(EXPECTED);
    }

    @Test
    void aStatusLineSaysWhatWasReadRejectedAndSentAndTheLastCheckpoint(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        String settled = "status \\d\\d:\\d\\d:\\d\\d: identities 4 read \\(1 rejected, 0 ignored\\), events 7 read \\(1 rejected,"
                + " 1 ignored\\); list operations 4 sent \\(4 applied, 0 dead letters\\), 0 pending \\(oldest 0\\.0 s\\),"
                + " 0 retries; last checkpoint \\d+, \\d+\\.\\d s ago";
        try (StreamRun run = new StreamRun(config("1s"), client)) {
            readInputsAndWaitForTheLists(run);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (run.lines().stream().noneMatch(l -> l.matches(settled)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(run.lines()).anySatisfy(l -> assertThat(l).matches(settled));
            assertThat(run.lines()).anySatisfy(l -> assertThat(l)
                    .contains("a status line every 1 s (stream.status-interval); Ctrl-C to stop."));
            assertThat(SANDBOX.client().stats().appliedTotal()).as("4 operations sent, as the line says").isEqualTo(4);
        }
    }

    @Test
    void offPrintsNoStatusLine(@InjectClusterClient ClusterClient<?> client) throws Exception {
        try (StreamRun run = new StreamRun(config("off"), client)) {
            readInputsAndWaitForTheLists(run);
            Thread.sleep(3000); // three times the interval the other test prints at
            assertThat(run.lines()).isNotEmpty().noneSatisfy(l -> assertThat(l).startsWith("status "));
            assertThat(run.lines()).anySatisfy(l -> assertThat(l).isEqualTo("Ctrl-C to stop."));
        }
    }

    private static void moveIn(Path folder, String name, List<String> lines) throws Exception {
        Files.createDirectories(folder);
        Path tmp = folder.resolve("." + name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}

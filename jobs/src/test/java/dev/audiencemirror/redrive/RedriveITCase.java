package dev.audiencemirror.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.stream.StreamConnections;
import dev.audiencemirror.stream.StreamJobs;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job (file mode) meets a deleted list: Adestra refuses the adds to it (404), which
 * become dead letters; the list is re-created, and one of those contacts leaves the cohort, which
 * the stream applies. {@code bin/mirror redrive} then sends the two refused adds that nothing
 * superseded, skips the superseded one, and the lists end exact; a second redrive sends nothing.
 */
class RedriveITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    Path dir;

    private Path configFile() throws IOException {
        return TestConfig.of(SANDBOX, dir)
                .sandboxKeysInFiles()
                .activations("c1: 678, c2: 679")
                .taxonomy("import-id: f4cfd0d7-727a-5edd-a561-76f2149d4c22")
                .watchedFolders(dir.resolve("in"))
                .stream("window: 100ms", "dead-letter-dir: " + dir.resolve("stream"), "watch-interval: 200ms")
                .checkpointsEvery("200 ms")
                .write("stream.yaml");
    }

    @Test
    void refusedAddsAreSentAgainExceptTheSupersededOneAndASecondRedriveSendsNothing() throws Exception {
        Path configFile = configFile();
        MirrorConfig config = new ConfigLoader(Map.of()).load(configFile);
        Files.createDirectories(dir.resolve("in/identities"));
        Files.createDirectories(dir.resolve("in/events"));
        Path letters = dir.resolve("stream/dead-letters/adestra");

        try (Destinations destinations = Destinations.open(config, dir.resolve("unused.json"))) {
            JobClient job = StreamJobs.define(config, StreamConnections.forConfig(config), destinations)
                    .executeAsync("redrive scenario");
            try {
                List<String> identities = new ArrayList<>();
                for (int u = 1; u <= 4; u++) {
                    identities.add(identity("u" + u, String.valueOf(5000 + u)));
                }
                drop("identities/ids.jsonl", identities);
                drop("events/e1.jsonl", List.of(event("u4", "c1", true, 1)));
                await(() -> SANDBOX.client().listContacts(678).contains(5004L), "the job to run");

                SANDBOX.client().deleteList(679); // "a list deleted and re-created"
                drop("events/e2.jsonl", List.of(event("u1", "c2", true, 2), event("u2", "c2", true, 3),
                        event("u3", "c2", true, 4)));
                await(() -> refusals(letters) == 3, "three refused adds in the dead letters");

                SANDBOX.client().createList(679);
                drop("events/e3.jsonl", List.of(event("u3", "c2", false, 5)));
                await(() -> appliedNotes(letters) == 1, "the note that u3's newer remove was applied");
            } finally {
                StreamJobs.cancel(job);
            }
        }
        assertThat(SANDBOX.client().listContacts(679)).as("the refused adds are missing").isEmpty();

        String first = redrive(configFile, dev.audiencemirror.command.Command.OK);
        assertThat(first).contains("re-sent, applied         2").contains("skipped as superseded    1")
                .contains("re-sent, refused again   0");
        var expected = new TreeMap<Long, java.util.SortedSet<Long>>(Map.of(
                678L, new TreeSet<>(Set.of(5004L)), 679L, new TreeSet<>(Set.of(5001L, 5002L))));
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(expected);

        long sent = sentToAdestra();
        String second = redrive(configFile, dev.audiencemirror.command.Command.OK);
        assertThat(second).contains("re-sent, applied         0").contains("skipped, already re-sent 2")
                .contains("skipped as superseded    1");
        assertThat(sentToAdestra()).as("the second redrive sends nothing").isEqualTo(sent);
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(expected);
    }

    private static long sentToAdestra() {
        var stats = SANDBOX.client().stats();
        return stats.requests(Endpoint.ADESTRA_ADD) + stats.requests(Endpoint.ADESTRA_REMOVE);
    }

    private static String redrive(Path configFile, int expectedCode) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = new MirrorCli().run(new String[] {"redrive", "--config", configFile.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; out: %s err: %s", text, err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return text;
    }

    private static long refusals(Path letters) {
        return records(letters).stream().filter(n -> n.get("status").asInt() == 404).count();
    }

    private static long appliedNotes(Path letters) {
        return records(letters).stream().filter(n -> n.get("status").asInt() / 100 == 2
                && n.get("key").asText().equals("contact=5003 list=679")).count();
    }

    private static List<JsonNode> records(Path letters) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(letters)) {
            return out;
        }
        try (Stream<Path> files = Files.list(letters)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private void drop(String name, List<String> lines) throws IOException {
        Path target = dir.resolve("in").resolve(name);
        Path tmp = target.resolveSibling("." + target.getFileName());
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String identity(String user, String contact) {
        return "{\"user_id\":\"" + user + "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"" + contact
                + "\",\"priority\":0}],\"time\":\"" + T0 + "\"}";
    }

    private static String event(String user, String cohort, boolean entry, int seconds) {
        return "{\"name\":\"" + (entry ? "SegmentEntry" : "SegmentExit") + "\",\"user_id\":\"" + user
                + "\",\"properties\":{\"segment_id\":\"" + cohort + "\"},\"time\":\"" + T0.plusSeconds(seconds) + "\"}";
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for %s", what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}

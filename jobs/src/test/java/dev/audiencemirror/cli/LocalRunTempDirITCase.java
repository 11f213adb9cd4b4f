package dev.audiencemirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.nightly.NightlyScenario;
import dev.audiencemirror.sandbox.state.StateFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/mirror} as a process of its own ({@link MirrorProcess}): a local nightly run leaves
 * nothing in the temp folders ({@code TMPDIR} and {@code flink: io.tmp.dirs} point at two test
 * folders, which must be empty after a run that succeeded, one that failed and one interrupted
 * midway, and a run removes what a run killed with SIGKILL left); a signal sent to the launcher
 * stops the JVM promptly, through its shutdown (143 on SIGTERM, 130 on SIGINT), for the nightly
 * and the sandbox here, the stream in {@code StreamResumeITCase}.
 */
class LocalRunTempDirITCase {
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);

    @TempDir
    Path dir;

    private Path javaTmp;
    private Path flinkTmp;

    @BeforeEach
    void inputs() throws Exception {
        javaTmp = Files.createDirectories(dir.resolve("java-tmp"));
        flinkTmp = Files.createDirectories(dir.resolve("flink-tmp"));
        NightlyScenario scenario = new NightlyScenario(2000, ACTIVATIONS);
        scenario.writeIdentities(dir.resolve("identities.jsonl"));
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), scenario.memberships(1, 0.4));
        Files.writeString(dir.resolve("key"), "not-a-real-key");
    }

    private Path config(String baseUrl) throws Exception {
        // Unreachable: the start-up checks give up after 15 s (the progress lines, every 5 s, count their retries).
        String key = baseUrl.equals("embedded") ? "" : ", api-key: {file: " + dir.resolve("key") + "}, max-retry-time: 15s";
        Path config = dir.resolve("mirror.yaml");
        Files.writeString(config, """
                activations: {c1: 678, c2: 679, c3: 680}
                adestra: {base-url: %1$s%3$s}
                taxonomy: {base-url: %1$s, import-id: 661a8da6-804f-5f09-b4b5-8e8d6052ea04%3$s}
                inputs:
                  identities: %2$s/identities.jsonl
                  memberships: %2$s/memberships.csv
                nightly:
                  state-dir: %2$s/state
                  runs-dir: %2$s/runs
                flink:
                  io.tmp.dirs: %4$s
                """.formatted(baseUrl, dir, key, flinkTmp));
        return config;
    }

    private MirrorProcess nightly(Path config) throws Exception {
        return MirrorProcess.start(javaTmp, dir.resolve("run-" + System.nanoTime() + ".log"), "nightly", "--config",
                config.toString());
    }

    @Test
    void aSuccessfulRunLeavesTheTempFoldersEmpty() throws Exception {
        // What runs killed with SIGKILL left: folders no live process claims.
        for (Path tmp : List.of(javaTmp, flinkTmp)) {
            Path left = Files.createDirectories(tmp.resolve("audience-mirror-run-0dead0" + tmp.getFileName().toString().charAt(0)));
            Files.writeString(left.resolve("flink-rpc-akka.jar"), "21 MB");
            Files.writeString(left.resolve(".in-use"), "");
            Files.setLastModifiedTime(left.resolve(".in-use"), FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        }
        try (MirrorProcess run = nightly(config("embedded"))) {
            assertThat(run.exitCode(Duration.ofSeconds(120))).as(run.output()).isZero();
            assertThat(run.output()).contains("pushed in ");
            // The terminal holds the progress and the report; what the connectors log is in the run's log file.
            Path log = logFile(run.output());
            assertThat(run.output()).doesNotContain(" INFO ").doesNotContain("RetryPolicy").doesNotContain("Adestra sender");
            assertThat(log).content().contains("Adestra sender 1 of 2 started: up to 5 requests at a time (its share of"
                    + " max-concurrency 10)");
        }
        assertEmpty();
    }

    @Test
    void aFailedRunLeavesTheTempFoldersEmpty() throws Exception {
        // Nothing listens on port 1: the push's preflight fails.
        try (MirrorProcess run = nightly(config("http://127.0.0.1:1"))) {
            assertThat(run.exitCode(Duration.ofSeconds(120))).as(run.output()).isEqualTo(1);
            String output = run.output();
            // The cause in a line; the stack trace only in the log file, which the report names.
            assertThat(output).containsOnlyOnce("mirror nightly: failed: ").contains(" could not be reached for its start-up check")
                    .doesNotContain("\tat ").doesNotContain("Exception:\n").doesNotContain(" ERROR ");
            assertThat(logFile(output)).content().contains("nightly run ").contains("\tat ");
            // While the start-up check is retried, the progress line counts its retries.
            assertThat(output).containsPattern("push: \\d+ s, list operations 0 of \\d+ sent, .*, start-up check: [1-9]\\d* retr");
            // Nothing may have been sent: the counts are what was planned, the failures unknown.
            assertThat(output).contains("    to add  to remove       held     failed\n")
                    .containsPattern("\n678 +0 +\\d+ +\\d+ +0 +0 +-\n")
                    .contains("planned: the push failed, so which of these operations reached the destination is not known;");
        }
        assertEmpty();
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    void anInterruptedRunLeavesTheTempFoldersEmpty(String signal) throws Exception {
        try (MirrorProcess run = nightly(config("embedded"))) {
            run.awaitLine(l -> l.startsWith("planning: "), Duration.ofSeconds(60));
            // Interrupted once Flink's mini-cluster has put its files there.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (files(flinkTmp).stream().noneMatch(p -> p.getFileName().toString().startsWith("flink-rpc"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(files(flinkTmp)).as("Flink's files while the run works").isNotEmpty();
            assertThat(run.isAlive()).as("still running, to be interrupted").isTrue();
            // The launcher resets SIGINT to its default where the test runs with it ignored (CI, a
            // background build): the JVM must hear it, or this case would test nothing.
            assertThat(run.handles(2)).as("the JVM handles SIGINT").isTrue();
            run.signal(signal);
            assertThat(run.exitCode(Duration.ofSeconds(15))).as(run.output()).isEqualTo(signal.equals("INT") ? 130 : 143);
        }
        assertEmpty();
    }

    @Test
    void aStoppedSandboxSavesItsState() throws Exception {
        Path state = dir.resolve("sandbox-state.json");
        try (MirrorProcess sandbox = MirrorProcess.start(javaTmp, dir.resolve("sandbox.log"), "sandbox", "--port", "0",
                "--lists", "678", "--adestra-key", "sandbox-key", "--state-file", state.toString())) {
            Matcher url = Pattern.compile(".*listening on (\\S+)").matcher(
                    sandbox.awaitLine(l -> l.contains("listening on "), Duration.ofSeconds(60)));
            assertThat(url.matches()).isTrue();
            Matcher auth = Pattern.compile(".*Authorization: (\\S+) sandbox-key.*").matcher(
                    sandbox.awaitLine(l -> l.contains("Authorization: "), Duration.ofSeconds(10)));
            assertThat(auth.matches()).isTrue();
            HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(url.group(1) + "/contacts/7001/lists/678"))
                    .header("Authorization", auth.group(1) + " sandbox-key").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isBetween(200, 299);
            sandbox.signal("TERM");
            assertThat(sandbox.exitCode(Duration.ofSeconds(10))).as(sandbox.output()).isEqualTo(143);
        }
        assertThat(new StateFile(state).load().adestraLists()).isEqualTo(Map.of(678L, List.of(7001L)));
        assertThat(files(javaTmp)).as("left in the temp directory").isEmpty();
    }

    /** The log file the output names, once, in the run's folder. */
    private Path logFile(String output) {
        List<String> named = output.lines().filter(l -> l.startsWith("log: ")).toList();
        assertThat(named).as(output).hasSize(1);
        Path log = Path.of(named.get(0).substring(5));
        assertThat(log.getParent().getParent()).isEqualTo(dir.resolve("runs"));
        return log;
    }

    private void assertEmpty() throws Exception {
        assertThat(files(javaTmp)).as("left in java.io.tmpdir").isEmpty();
        assertThat(files(flinkTmp)).as("left in io.tmp.dirs").isEmpty();
    }

    private static List<Path> files(Path folder) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> all = Files.walk(folder)) {
                return all.filter(p -> !p.equals(folder)).toList();
            } catch (java.io.UncheckedIOException changedWhileListed) {
                if (attempt == 10) {
                    throw changedWhileListed;
                }
            }
        }
    }
}

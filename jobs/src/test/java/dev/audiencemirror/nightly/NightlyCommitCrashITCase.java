package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorProcess;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.nightly.CrashTestPause.Step;
import dev.audiencemirror.nightly.NightlyConvergenceITCase.Night;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly run killed with SIGKILL at each named step of its push and commit ({@link Step}: after
 * the push record, after the last call, after {@code CURRENT}, after the records are deleted), and
 * the next run, over other random input, exact. Each killed run is {@code bin/mirror nightly} in a
 * child JVM that the test hook stops at its step; the test waits for its "paused at" line, checks
 * the state folder and the sandbox at that moment, sends {@code kill -9} and requires death by
 * that signal, so a kill that did not happen fails. The runs are chained: the run after each kill
 * is the next step's killed run, whose lists are checked once its calls are done (every step after
 * the first is after the last call); an in-process run commits the first night and ends the chain.
 * Expected lists and segments come from {@link NightlyConvergenceITCase}'s scenario (contact
 * changes, shared contacts, users without a contact; its first 100 users), computed from the
 * inputs alone. The run after the kill after the last call is the one that needs the push
 * records: {@code CURRENT} still names the snapshot before that push.
 *
 * <p>Seeds: {@code -Dnightly.commitcrash.seeds=N} (default 1) from {@code -Dnightly.commitcrash.seed=S}.
 */
class NightlyCommitCrashITCase {
    private static final String IMPORT = "0c3c2a4e-5f0e-5b37-9a61-2f4b8d0e7c11";
    private static final int KILLED = 128 + 9;
    private static final int USERS = 100;
    /** A short-lived JVM starts faster with the first compiler only and the serial collector (a few seconds a run). */
    private static final String CHILD_JVM = "-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports(IMPORT).build();

    @TempDir
    Path tmp;

    @Test
    void aRunKilledAtEachStepOfTheCommitLeavesTheNextRunOverOtherInputExact() throws Exception {
        long first = Long.getLong("nightly.commitcrash.seed", 1);
        int seeds = Integer.getInteger("nightly.commitcrash.seeds", 1);
        for (long seed = first; seed < first + seeds; seed++) {
            killAtEachStep(seed);
        }
    }

    private void killAtEachStep(long seed) throws Exception {
        SANDBOX.reset();
        Path dir = Files.createDirectories(tmp.resolve("seed-" + seed));
        String about = "seed " + seed + " (rerun with -Dnightly.commitcrash.seed=" + seed + ")";
        SplittableRandom r = new SplittableRandom(seed);
        TestConfig config = TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .taxonomy("import-id: " + IMPORT)
                .nightlyFiles()
                .nightly("max-removal-ratio: 1.0")
                .flink("parallelism.default: 1");
        Path yaml = config.write("mirror.yaml");

        Night onDestination = night(r, dir);
        RunReport base = runInProcess(config);
        assertThat(base.outcome).as("%s: %s", about, base.failure).isEqualTo(RunReport.Outcome.PUSHED);
        String current = base.runId;
        Set<String> uncovered = new TreeSet<>(); // push records no commit has covered yet

        for (Step step : Step.values()) {
            String at = about + ", killed at " + step.label();
            Night night = night(r, dir);
            Set<String> runsBefore = names(dir.resolve("runs"));
            long callsBefore = writeCalls();
            try (MirrorProcess child = MirrorProcess.start(Files.createDirectories(dir.resolve("child-tmp")),
                    dir.resolve(step.label() + ".log"),
                    Map.of("MIRROR_JAVA_OPTS", CHILD_JVM + " -D" + CrashTestPause.PROPERTY + "=" + step.label()),
                    "nightly", "--config", yaml.toString())) {
                child.awaitLine(("paused at " + step.label())::equals, Duration.ofSeconds(90));
                Set<String> runs = names(dir.resolve("runs"));
                runs.removeAll(runsBefore);
                assertThat(runs).as("%s: the killed run's folder", at).hasSize(1);
                String run = runs.iterator().next();
                Set<String> records = names(dir.resolve("state/pushes"));
                uncovered.add(run + ".jsonl");

                switch (step) {
                    case AFTER_JOURNAL -> {
                        assertThat(writeCalls()).as("%s: calls before the first", at).isEqualTo(callsBefore);
                        assertThat(records).as(at).isEqualTo(uncovered);
                        assertThat(Files.readString(dir.resolve("state/pushes/" + run + ".jsonl")))
                                .as("%s: the record is the whole plan", at)
                                .isEqualTo(Files.readString(dir.resolve("runs/" + run + "/plan.jsonl")));
                        assertThat(current(dir)).as(at).isEqualTo(current);
                    }
                    case AFTER_PUSH -> {
                        onDestination = night;
                        assertThat(records).as(at).isEqualTo(uncovered);
                        assertThat(current(dir)).as("%s: CURRENT still the last committed", at).isEqualTo(current);
                    }
                    case AFTER_CURRENT -> {
                        onDestination = night;
                        current = run;
                        assertThat(current(dir)).as(at).isEqualTo(run);
                        assertThat(records).as("%s: the records this run covers, still there", at).isEqualTo(uncovered);
                    }
                    case AFTER_RECORDS_DELETED -> {
                        onDestination = night;
                        current = run;
                        assertThat(current(dir)).as(at).isEqualTo(run);
                        assertThat(records).as(at).noneMatch(name -> name.endsWith(".jsonl"));
                        uncovered.clear();
                    }
                }
                // Every step but the first is after the last call: this run, the first after the
                // previous kill, has sent all it will send, and the lists must be exact already.
                assertThat(SANDBOX.client().contactsByList(678L, 679L, 680L)).as(at).isEqualTo(onDestination.expectedLists());
                assertThat(segmentNames()).as(at).isEqualTo(onDestination.segments());

                child.signal("KILL");
                assertThat(child.exitCode(Duration.ofSeconds(30))).as("%s: ended by SIGKILL", at).isEqualTo(KILLED);
                assertThat(dir.resolve("runs/" + run + "/report.json")).as("%s: the run did not end", at).doesNotExist();
            }
        }

        Night last = night(r, dir);
        RunReport good = runInProcess(config);
        assertThat(good.outcome).as("%s, then a run: %s", about, good.failure).isEqualTo(RunReport.Outcome.PUSHED);
        assertThat(SANDBOX.client().contactsByList(678L, 679L, 680L)).as(about).isEqualTo(last.expectedLists());
        assertThat(segmentNames()).as(about).isEqualTo(last.segments());
        assertThat(names(dir.resolve("state/pushes"))).as("%s: push records left", about).noneMatch(name -> name.endsWith(".jsonl"));
    }

    /** A new random night, written as the run's inputs. */
    private static Night night(SplittableRandom r, Path dir) throws IOException {
        Night all = NightlyConvergenceITCase.night(r);
        // The first 100 users (about 200 operations a night): the kill points do not need more, and each push costs time.
        Predicate<String> kept = user -> Integer.parseInt(user.substring(1)) < USERS;
        Map<String, String> contacts = new TreeMap<>(all.contacts());
        contacts.keySet().removeIf(kept.negate());
        Night n = new Night(contacts, all.rows().stream().filter(row -> kept.test(row[0])).toList(), all.segments());
        NightlyConvergenceITCase.write(n, dir);
        return n;
    }

    private static RunReport runInProcess(TestConfig config) throws Exception {
        return new NightlyRun(config.load(), new NightlyRun.Options(false, false, false), Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).execute();
    }

    /** Calls that change a destination. */
    private static long writeCalls() {
        SandboxStats stats = SANDBOX.client().stats();
        return stats.requests(Endpoint.ADESTRA_ADD) + stats.requests(Endpoint.ADESTRA_REMOVE)
                + stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS);
    }

    private static String current(Path dir) throws IOException {
        return Files.readString(dir.resolve("state/CURRENT")).strip();
    }

    private static Set<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static SortedMap<String, String> segmentNames() {
        SortedMap<String, String> out = new TreeMap<>();
        for (Segment s : SANDBOX.client().importDefinitions(IMPORT).values()) {
            out.put(s.code(), s.name());
        }
        return out;
    }
}

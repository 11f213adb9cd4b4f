package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run end to end on a MiniCluster against the sandbox: inputs written by the test,
 * expected list contents computed here from the same inputs, independently of the job.
 */
class NightlyRunITCase {
    private static final String IMPORT = "f96da793-8a19-5682-aa1b-169a862d8cb6";
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports(IMPORT).build();

    @TempDir
    Path dir;

    private int clockSeconds;

    /** Users u0..u(n-1): every 10th has no contact ID; contact of u{i} is 5000+i. */
    private static final NightlyScenario SCENARIO = new NightlyScenario(600, ACTIVATIONS);

    @BeforeEach
    void identities() throws Exception {
        SCENARIO.writeIdentities(dir.resolve("identities.jsonl"));
    }

    private void writeMemberships(List<String[]> rows, String... extraLines) throws Exception {
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), rows, extraLines);
    }

    private void writeSegments(String... lines) throws Exception {
        Files.writeString(dir.resolve("segments.jsonl"), String.join("\n", lines) + "\n");
    }

    private MirrorConfig config(String... nightlySettings) {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .adestra("max-attempts: 4", "max-retry-time: 20s", "request-timeout: 2s", "settle-delay: 2s") // no held requests: a short settle
                .taxonomy("import-id: " + IMPORT, "max-attempts: 4", "max-retry-time: 20s")
                .nightlyFiles()
                .nightly(nightlySettings)
                .load();
    }

    /** @param nightlySettings more {@code nightly:} settings, e.g. {@code max-removal-ratio: 1.0} */
    private RunReport run(NightlyRun.Options options, String... nightlySettings) throws Exception {
        // Distinct run ids, one second apart, as consecutive nights would have.
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(clockSeconds++), ZoneOffset.UTC);
        return new NightlyRun(config(nightlySettings), options, clock, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).execute();
    }

    private static final NightlyRun.Options PUSH = new NightlyRun.Options(false, false, false);
    private static final NightlyRun.Options DRY = new NightlyRun.Options(true, false, false);

    /** The Adestra requests a run sent, as "POST 5001 678" / "DELETE 5001 678", from the sandbox's log. */
    private static Set<String> adestraCallsSince(long seq) {
        return SANDBOX.client().log(seq).stream()
                .filter(e -> e.endpoint().equals(Endpoint.ADESTRA_ADD.label()) || e.endpoint().equals(Endpoint.ADESTRA_REMOVE.label()))
                .map(e -> {
                    String[] p = e.path().split("/");
                    return e.method() + " " + p[2] + " " + p[4];
                })
                .collect(Collectors.toSet());
    }

    /** Runs {@code action} once the sandbox has answered {@code count} calls of {@code endpoint}. */
    private static Thread whenListCallsReach(Endpoint endpoint, long count, Runnable action) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (SANDBOX.client().stats().requests(endpoint) >= count) {
                    action.run();
                    return;
                }
                Thread.onSpinWait();
            }
        }, "sandbox-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long lastSeq() {
        List<LogEntry> log = SANDBOX.client().log(0);
        return log.isEmpty() ? 0 : log.get(log.size() - 1).seq() + 1;
    }

    @Test
    void consecutiveRunsMirrorTheLatestSnapshotAndSendOnlyTheDiff() throws Exception {
        List<String[]> day1 = SCENARIO.memberships(1, 0.4);
        writeMemberships(day1);
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}", "{\"code\":\"s2\",\"name\":\"Two\",\"cpm\":1.5}");
        RunReport first = run(PUSH);
        assertThat(first.outcome).isEqualTo(RunReport.Outcome.PUSHED);
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(day1));
        assertThat(first.usersWithoutContact).isPositive();

        // Day 2: a few percent of rows change; one segment changes, one goes, one comes.
        List<String[]> day2 = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        for (String[] row : day1) {
            if (r.nextDouble() >= 0.05) {
                day2.add(row);
            }
        }
        day2.addAll(SCENARIO.memberships(3, 0.03));
        writeMemberships(day2);
        writeSegments("{\"code\":\"s1\",\"name\":\"One, renamed\"}", "{\"code\":\"s3\",\"name\":\"Three\"}");
        long seq = lastSeq();
        RunReport second = run(PUSH);

        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(day2));
        // The calls sent are exactly the independent diff of the two days.
        Set<String> diff = new HashSet<>();
        SCENARIO.expected(day2).forEach((list, contacts) -> contacts.stream().filter(c -> !SCENARIO.expected(day1).get(list).contains(c))
                .forEach(c -> diff.add("POST " + c + " " + list)));
        SCENARIO.expected(day1).forEach((list, contacts) -> contacts.stream().filter(c -> !SCENARIO.expected(day2).get(list).contains(c))
                .forEach(c -> diff.add("DELETE " + c + " " + list)));
        assertThat(diff).isNotEmpty();
        assertThat(adestraCallsSince(seq)).isEqualTo(diff);
        assertThat(second.listOperations()).isEqualTo(diff.size());

        SortedMap<String, Segment> segments = SANDBOX.client().importDefinitions(IMPORT);
        assertThat(segments.keySet()).containsExactly("s1", "s3");
        assertThat(segments.get("s1").name()).isEqualTo("One, renamed");
        assertThat(second.creates).isEqualTo(1);
        assertThat(second.updates).isEqualTo(1);
        assertThat(second.deletes).isEqualTo(1);

        // Day 3, unchanged input: nothing is sent.
        long before = lastSeq();
        RunReport third = run(PUSH);
        assertThat(third.outcome).isEqualTo(RunReport.Outcome.NOTHING_TO_DO);
        assertThat(adestraCallsSince(before)).isEmpty();
    }

    @Test
    void aDryRunSendsNothingAndItsPlanIsWhatTheRealRunSends() throws Exception {
        List<String[]> rows = SCENARIO.memberships(5, 0.3);
        writeMemberships(rows);
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}");

        RunReport dry = run(DRY);
        assertThat(dry.outcome).isEqualTo(RunReport.Outcome.DRY_RUN);
        assertThat(SANDBOX.client().stats().appliedTotal()).isZero();
        assertThat(SANDBOX.client().log(0)).isEmpty();
        Set<String> planned = new HashSet<>();
        for (String line : Files.readAllLines(dry.planFile)) {
            JsonNode n = PlannedOperation.tree(line);
            if (n.get("destination").asText().equals("adestra")) {
                planned.add((n.get("action").asText().equals("ADD") ? "POST " : "DELETE ") + n.get("contact_id").asText()
                        + " " + n.get("list_id").asLong());
            }
        }
        assertThat(Files.readString(dry.planFile)).contains("\"destination\":\"taxonomy\"").contains("\"code\":\"s1\"");

        run(PUSH);
        assertThat(adestraCallsSince(0)).isEqualTo(planned);
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(rows));
    }

    @Test
    void refusedOperationsAreLeftOutOfTheSnapshotAndRetriedByTheNextRun() throws Exception {
        List<String[]> day1 = SCENARIO.memberships(7, 0.3);
        writeMemberships(day1);
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}");
        run(PUSH);

        // Day 2 with a flaky destination: some calls fail past the retry limit and are dead-lettered.
        List<String[]> day2 = new ArrayList<>(day1.subList(0, day1.size() * 9 / 10));
        day2.addAll(SCENARIO.memberships(8, 0.2));
        writeMemberships(day2);
        // Faults once every writer (4, one per slot) has checked its 3 lists, so start-up passes.
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(2).seed(3L).build());
        long checksSoFar = SANDBOX.client().stats().requests(Endpoint.ADESTRA_GET_LIST);
        Thread faults = whenListCallsReach(Endpoint.ADESTRA_GET_LIST, checksSoFar + 4 * 3, () -> SANDBOX.setFaults(
                FaultConfig.builder().rate503(0.6).retryAfterSeconds(0).scope(FaultConfig.Scope.ADESTRA).seed(3L).build()));
        RunReport flaky;
        try {
            flaky = run(PUSH);
        } finally {
            faults.join();
        }
        assertThat(flaky.outcome).isEqualTo(RunReport.Outcome.PUSHED_WITH_FAILURES);
        assertThat(flaky.outcome.exitCode).isEqualTo(4);
        assertThat(flaky.deadLetters).isPositive();
        long failedInLists = flaky.lists.values().stream().mapToLong(c -> c.failedAdds + c.failedRemoves).sum();
        long failedByReason = flaky.lists.values().stream().flatMap(c -> c.failuresByReason.values().stream()).mapToLong(Long::longValue).sum();
        assertThat(failedInLists).isEqualTo(flaky.deadLetters).isEqualTo(failedByReason);
        assertThat(flaky.lists.values()).anySatisfy(c -> assertThat(c.failuresByReason.keySet()).anySatisfy(
                r -> assertThat(r).endsWith("refused: HTTP 503")));
        assertThat(Files.readString(flaky.runDir.resolve("report.json"))).contains("\"outcome\" : \"pushed-with-failures\"")
                .contains("failed_by_reason");
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isNotEqualTo(SCENARIO.expected(day2));

        SANDBOX.setFaults(FaultConfig.NONE);
        RunReport healed = run(PUSH);
        assertThat(healed.listOperations()).isEqualTo(flaky.deadLetters);
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(day2));
    }

    @Test
    void aRunThatCrashesMidwayLeavesTheSnapshotAndTheNextRunConverges() throws Exception {
        List<String[]> day1 = SCENARIO.memberships(11, 0.4);
        writeMemberships(day1);
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}");
        run(PUSH);
        String committed = Files.readString(dir.resolve("state/CURRENT")).strip();

        // Day 2 removes most of c1: once some calls went through, the key is revoked and the push dies.
        List<String[]> day2 = day1.stream().filter(r -> !r[1].equals("c1") || r[0].hashCode() % 3 == 0).toList();
        writeMemberships(day2);
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(3).seed(1L).build());
        AtomicBoolean revoked = new AtomicBoolean();
        long removesSoFar = SANDBOX.client().stats().requests(Endpoint.ADESTRA_REMOVE);
        Thread saboteur = whenListCallsReach(Endpoint.ADESTRA_REMOVE, removesSoFar + 20, () -> {
            SANDBOX.setFaults(FaultConfig.builder().failNext(1_000_000).failNextStatus(401).seed(1L).build());
            revoked.set(true);
        });
        try {
            RunReport failed = run(PUSH, "max-removal-ratio: 1.0");
            assertThat(failed.outcome).isEqualTo(RunReport.Outcome.FAILED);
            assertThat(failed.outcome.exitCode).isEqualTo(1);
            assertThat(failed.failure).contains("401").doesNotContain(SANDBOX.adestraKey());
            assertThat(Files.readString(failed.runDir.resolve("report.json"))).contains("\"outcome\" : \"failed\"").contains("401");
        } finally {
            saboteur.join();
        }
        assertThat(revoked).isTrue();
        assertThat(Files.readString(dir.resolve("state/CURRENT")).strip()).as("previous snapshot still in force").isEqualTo(committed);
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isNotEqualTo(SCENARIO.expected(day2));

        SANDBOX.setFaults(FaultConfig.NONE);
        run(PUSH, "max-removal-ratio: 1.0");
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).as("no removal is lost").isEqualTo(SCENARIO.expected(day2));
    }

    @Test
    void tooManyRejectedLinesRefuseTheRunNamingTheInput() throws Exception {
        List<String[]> rows = SCENARIO.memberships(13, 0.3);
        writeMemberships(rows, "u1", "u2,", ",c1", "\"unterminated,c1", "u3,c1,extra", "u4,c2,x");
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}");

        RunReport refused = run(PUSH, "reject-threshold: 0.001");

        assertThat(refused.outcome).isEqualTo(RunReport.Outcome.REFUSED);
        assertThat(refused.refusals).singleElement().asString()
                .startsWith("memberships: 6 of ")
                .contains("above nightly.reject-threshold 0.10%")
                .contains("rejects");
        assertThat(SANDBOX.client().log(0)).isEmpty();
        List<String> rejects = new ArrayList<>();
        try (var files = Files.list(refused.runDir.resolve("rejects"))) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                rejects.addAll(Files.readAllLines(f));
            }
        }
        assertThat(rejects).hasSize(6).allSatisfy(l -> assertThat(l).contains("\"source\":\"memberships.csv\"").contains("\"reason\""));
        assertThat(rejects).anySatisfy(l -> assertThat(l).contains("\"raw\":\"u1\""));

        // Under the default threshold (1%) the same input is pushed, rejects still reported.
        RunReport pushed = run(PUSH);
        assertThat(pushed.outcome).isEqualTo(RunReport.Outcome.PUSHED);
        assertThat(pushed.inputs.get("memberships").rejected()).isEqualTo(6);
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(rows));
    }

    @Test
    void aRunThatWouldEmptyAListIsRefusedUnlessAllowed() throws Exception {
        List<String[]> full = SCENARIO.memberships(17, 0.5);
        writeMemberships(full);
        writeSegments("{\"code\":\"s1\",\"name\":\"One\"}");
        run(PUSH);

        // A truncated export: c2 is nearly gone.
        List<String[]> truncated = full.stream().filter(r -> !r[1].equals("c2") || r[0].endsWith("0")).toList();
        writeMemberships(truncated);
        long seq = lastSeq();
        RunReport refused = run(PUSH);
        assertThat(refused.outcome).isEqualTo(RunReport.Outcome.REFUSED);
        assertThat(refused.refusals).singleElement().asString()
                .startsWith("list 679: would remove ")
                .contains("above nightly.max-removal-ratio 50.0%")
                .contains("--allow-large-removals");
        assertThat(adestraCallsSince(seq)).isEmpty();
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(full));

        run(new NightlyRun.Options(false, false, true));
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(truncated));
    }
}

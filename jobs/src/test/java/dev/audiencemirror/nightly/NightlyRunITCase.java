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
import dev.audiencemirror.testing.SegmentLines;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    private TestConfig testConfig() {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .adestra("max-attempts: 4", "max-retry-time: 20s", "request-timeout: 2s", "settle-delay: 2s") // no held requests: a short settle
                .taxonomy("import-id: " + IMPORT, "max-attempts: 4", "max-retry-time: 20s")
                .nightlyFiles();
    }

    /** @param nightlySettings more {@code nightly:} settings, e.g. {@code max-removal-ratio: 1.0} */
    private RunReport run(NightlyRun.Options options, String... nightlySettings) throws Exception {
        return run(testConfig().nightly(nightlySettings).load(), options);
    }

    private RunReport run(MirrorConfig config, NightlyRun.Options options) throws Exception {
        // Distinct run ids, one second apart, as consecutive nights would have.
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(clockSeconds++), ZoneOffset.UTC);
        return new NightlyRun(config, options, clock, new PrintStream(new ByteArrayOutputStream(), true,
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
    /** {@code -Dnightly.modes.seeds=N} runs seeds 1..N (default 1: about 8 s each); {@code -Dnightly.modes.seed=S} one. */
    static Stream<Long> modeSeeds() {
        String one = System.getProperty("nightly.modes.seed");
        if (one != null) {
            return Stream.of(Long.parseLong(one));
        }
        return LongStream.rangeClosed(1, Long.getLong("nightly.modes.seeds", 1)).boxed();
    }

    /**
     * Nights in every sync mode over lists that held contacts before the first run and a destination
     * edited by hand before every night (contacts added and taken off, a code renamed, one deleted,
     * one made): a mirror night, a {@code --full-resync} in mirror mode, then {@code add},
     * {@code remove} and {@code upsert} for the lists and for the taxonomy, each in a random order,
     * some with {@code --full-resync}. After every night the lists and the import must be exactly
     * what {@link SyncModeAnswer} computes from the inputs and the hand edits, and the night must
     * have kept to its mode against what the destination held before it.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("modeSeeds")
    void everyNightLeavesWhatItsSyncModeAllowsAndAFullResyncRepairsHandEdits(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        SyncModeAnswer answer = new SyncModeAnswer(ACTIVATIONS.values());
        handEdit(random, answer, 0); // what the destination held before any run
        List<String> listModes = shuffled(random, "add", "remove", "upsert");
        List<String> taxonomyModes = shuffled(random, "add", "remove", "upsert");
        List<String[]> rows = SCENARIO.memberships(seed * 1000, 0.4);
        SortedMap<String, Segment> definitions = new TreeMap<>();
        Set<String> kept = new TreeSet<>();
        changeDefinitions(random, definitions, kept, 0);
        Map<String, Long> happened = new TreeMap<>();
        for (int night = 0; night < 2 + listModes.size(); night++) {
            String listMode = night < 2 ? "mirror" : listModes.get(night - 2);
            String taxonomyMode = night < 2 ? "mirror" : taxonomyModes.get(night - 2);
            boolean fullResync = night == 1 || (night > 1 && random.nextBoolean());
            if (night > 0) {
                rows = nextDay(random, rows, seed * 1000 + night);
                changeDefinitions(random, definitions, kept, night);
                handEdit(random, answer, night);
            }
            writeMemberships(rows);
            writeSegments(definitions.values().stream().map(SegmentLines::json).toArray(String[]::new));
            SortedMap<Long, SortedSet<Long>> listsBefore = SANDBOX.client().contactsByList(ACTIVATIONS.values());
            SortedMap<String, Segment> importBefore = SANDBOX.client().importDefinitions(IMPORT);

            RunReport report = run(testConfig().syncMode(listMode).taxonomy("sync-mode: " + taxonomyMode)
                    .nightly("max-removal-ratio: 1.0").load(), new NightlyRun.Options(false, fullResync, false));
            SortedMap<Long, SortedSet<Long>> target = SCENARIO.expected(rows);
            SyncModeAnswer.Night expected = answer.night(listMode, taxonomyMode, fullResync, target, definitions);

            String what = String.format("seed %d, night %d: lists %s, taxonomy %s%s", seed, night, listMode, taxonomyMode,
                    fullResync ? ", --full-resync" : "");
            assertThat(report.outcome).as("%s: %s", what, report.failure).isIn(RunReport.Outcome.PUSHED, RunReport.Outcome.NOTHING_TO_DO);
            SortedMap<Long, SortedSet<Long>> lists = SANDBOX.client().contactsByList(ACTIVATIONS.values());
            SortedMap<String, Segment> imported = SANDBOX.client().importDefinitions(IMPORT);
            assertThat(lists).as(what).isEqualTo(answer.lists);
            assertThat(imported).as(what).isEqualTo(answer.segments);
            keptToItsModes(what, listMode, taxonomyMode, listsBefore, lists, importBefore, imported);
            if (fullResync) {
                assertThat(report.overrides).as(what).containsExactly(new RunReport.Override("--full-resync", String.format(
                        "%d adds of contacts the snapshot has on their list and %d updates of segments it has as they are, sent again",
                        expected.resentAdds(), expected.resentUpdates())));
                assertThat(Files.readString(report.runDir.resolve("report.json"))).as(what)
                        .contains("\"flag\" : \"--full-resync\"").contains(report.overrides.get(0).allowed());
                if (SyncModeAnswer.adds(listMode)) {
                    target.forEach((list, contacts) -> assertThat(lists.get(list)).as("%s: every target contact, those taken off by hand too", what)
                            .containsAll(contacts));
                }
            } else {
                assertThat(report.overrides).as(what).isEmpty();
            }
            if (night == 1) {
                long handMadeLeft = 0;
                for (long list : lists.keySet()) {
                    handMadeLeft += lists.get(list).stream().filter(c -> !target.get(list).contains(c)).count();
                }
                happened.put("contacts added by hand that --full-resync leaves", handMadeLeft);
            }
            happened.merge("contacts taken off by hand that --full-resync put back", expected.restored(), Long::sum);
            // What the mode kept from the destination, so that each mode is seen doing its part.
            if (!SyncModeAnswer.adds(listMode)) {
                happened.merge("list " + listMode + ": adds withheld", expected.addsWithheld(), Long::sum);
            }
            if (!SyncModeAnswer.removes(listMode)) {
                happened.merge("list " + listMode + ": removes withheld", expected.removesWithheld(), Long::sum);
            }
            if (!SyncModeAnswer.adds(taxonomyMode)) {
                happened.merge("taxonomy " + taxonomyMode + ": creates withheld", expected.createsWithheld(), Long::sum);
            }
            if (!SyncModeAnswer.updates(taxonomyMode)) {
                happened.merge("taxonomy " + taxonomyMode + ": updates withheld", expected.updatesWithheld(), Long::sum);
            }
            if (!SyncModeAnswer.removes(taxonomyMode)) {
                happened.merge("taxonomy " + taxonomyMode + ": deletes withheld", expected.deletesWithheld(), Long::sum);
            }
        }
        assertThat(happened).as("seed %d: what each mode met", seed).hasSize(10)
                .allSatisfy((what, count) -> assertThat(count).as("seed %d: %s", seed, what).isPositive());
    }

    /** What each mode may not do, against what the destination held before the night. */
    private static void keptToItsModes(String what, String listMode, String taxonomyMode, SortedMap<Long, SortedSet<Long>> listsBefore,
            SortedMap<Long, SortedSet<Long>> lists, SortedMap<String, Segment> importBefore, SortedMap<String, Segment> imported) {
        for (long list : lists.keySet()) {
            if (!SyncModeAnswer.removes(listMode)) {
                assertThat(lists.get(list)).as("%s: %s takes no contact off list %d", what, listMode, list).containsAll(listsBefore.get(list));
            }
            if (!SyncModeAnswer.adds(listMode)) {
                assertThat(listsBefore.get(list)).as("%s: %s puts no contact on list %d", what, listMode, list).containsAll(lists.get(list));
            }
        }
        if (!SyncModeAnswer.removes(taxonomyMode)) {
            assertThat(imported.keySet()).as("%s: %s deletes no code", what, taxonomyMode).containsAll(importBefore.keySet());
        }
        if (!SyncModeAnswer.adds(taxonomyMode)) {
            assertThat(importBefore.keySet()).as("%s: %s creates no code", what, taxonomyMode).containsAll(imported.keySet());
        }
        if (!SyncModeAnswer.updates(taxonomyMode)) {
            importBefore.forEach((code, s) -> {
                if (imported.containsKey(code)) {
                    assertThat(imported.get(code)).as("%s: %s changes no code (%s)", what, taxonomyMode, code).isEqualTo(s);
                }
            });
        }
    }

    /**
     * Someone edits the destination by hand: takes a tenth of each list's contacts off and puts a
     * few on (users of the scenario and contacts no input names); after the first night also
     * renames a managed code, deletes another and makes one of their own. {@code answer} learns the same edits.
     */
    private static void handEdit(SplittableRandom random, SyncModeAnswer answer, int night) {
        answer.lists.forEach((list, contacts) -> {
            contacts.removeIf(c -> random.nextInt(10) == 0);
            for (int k = 0; k < 3; k++) {
                contacts.add(5000L + random.nextInt(600));
                contacts.add(9000L + night * 10 + k);
            }
            SANDBOX.client().putList(list, contacts);
        });
        if (night > 0) {
            List<String> managed = answer.segments.keySet().stream().filter(c -> !c.startsWith("hand-")).toList();
            if (managed.size() >= 2) {
                int renamed = random.nextInt(managed.size());
                int deleted = (renamed + 1 + random.nextInt(managed.size() - 1)) % managed.size();
                answer.segments.put(managed.get(renamed), Segment.of(managed.get(renamed), "renamed by hand on night " + night));
                answer.segments.remove(managed.get(deleted));
            }
        }
        answer.segments.put("hand-" + night, new Segment("hand-" + night, "A segment of the dashboard's own", "not ours", 3.0, null));
        SANDBOX.client().putImport(IMPORT, answer.segments.values());
    }

    /**
     * The definitions of the night: of the codes earlier nights had, some go, some come (back),
     * some change; and a new one. After the first night at least one code that every night had
     * ({@code kept}: the first night created it) goes and another changes, so that a mode that
     * does not delete meets a delete, and one that does not update an update.
     */
    private static void changeDefinitions(SplittableRandom random, SortedMap<String, Segment> definitions, Set<String> kept,
            int night) {
        for (int i = 0; i < 11 + night; i++) {
            String code = "s" + i;
            if (definitions.containsKey(code) ? random.nextInt(5) == 0 : random.nextInt(10) < (night == 0 ? 9 : 3)) {
                if (definitions.remove(code) == null) {
                    definitions.put(code, definition(random, code, night));
                }
            } else if (definitions.containsKey(code) && random.nextInt(10) < 3) {
                definitions.put(code, definition(random, code, night));
            }
        }
        if (night == 0) {
            kept.addAll(definitions.keySet());
        } else {
            List<String> still = kept.stream().filter(definitions::containsKey).toList();
            if (still.size() == kept.size() && !still.isEmpty()) {
                definitions.remove(still.get(random.nextInt(still.size())));
            }
            still = kept.stream().filter(definitions::containsKey).toList();
            if (!still.isEmpty()) {
                String code = still.get(random.nextInt(still.size()));
                definitions.put(code, definition(random, code, night));
            }
        }
        kept.retainAll(definitions.keySet());
        String brandNew = "s" + (11 + night);
        definitions.put(brandNew, definition(random, brandNew, night));
    }

    private static Segment definition(SplittableRandom random, String code, int night) {
        return new Segment(code, "Segment " + code + " night " + night + " #" + random.nextInt(1000),
                random.nextBoolean() ? "about " + code : null, random.nextBoolean() ? 1.0 + random.nextInt(9) : null,
                random.nextBoolean() ? List.of("news", "n" + night) : null);
    }

    /** The next day's memberships: most rows stay, some go, some come. */
    private static List<String[]> nextDay(SplittableRandom random, List<String[]> rows, long seed) {
        Map<String, String[]> next = new LinkedHashMap<>();
        rows.stream().filter(r -> random.nextInt(100) >= 15).forEach(r -> next.put(r[0] + "," + r[1], r));
        SCENARIO.memberships(seed, 0.08).forEach(r -> next.putIfAbsent(r[0] + "," + r[1], r));
        return new ArrayList<>(next.values());
    }

    private static List<String> shuffled(SplittableRandom random, String... modes) {
        List<String> out = new ArrayList<>(List.of(modes));
        for (int i = out.size() - 1; i > 0; i--) {
            java.util.Collections.swap(out, i, random.nextInt(i + 1));
        }
        return out;
    }
}

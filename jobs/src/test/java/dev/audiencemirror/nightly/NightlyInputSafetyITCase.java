package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the nightly command does with inputs a user will meet: rejected lines that must not read
 * as "the user left", a CSV header in another order or without a column, an input that is not
 * there, a segment code given twice, and two runs on one state directory. Each case through
 * {@code bin/mirror}'s entry point, asserting the exit code, the message and the lists, computed
 * here from the inputs.
 */
class NightlyInputSafetyITCase {
    private static final String IMPORT = "b7a029ff-a5d3-538c-861f-bc7c1749dffe";
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);
    private static final NightlyScenario SCENARIO = new NightlyScenario(200, ACTIVATIONS);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports(IMPORT).build();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        SCENARIO.writeIdentities(dir.resolve("identities.jsonl"));
        Files.writeString(dir.resolve("segments.jsonl"), "{\"code\":\"s1\",\"name\":\"One\"}\n{\"code\":\"s2\",\"name\":\"Two\"}\n");
        writeConfig("memberships.csv");
    }

    private Path writeConfig(String memberships) throws IOException {
        return TestConfig.of(SANDBOX, dir)
                .sandboxKeysInFiles()
                .activations("c1: 678, c2: 679, c3: 680")
                .taxonomy("import-id: " + IMPORT)
                .nightlyFiles()
                .inputs("memberships: " + dir.resolve(memberships))
                // These inputs are small: a few bad lines are many percent.
                .nightly("reject-threshold: 0.6")
                .write("mirror.yaml");
    }

    private int mirror(String... args) {
        out.reset();
        err.reset();
        return new MirrorCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int nightly() {
        return mirror("nightly", "--config", dir.resolve("mirror.yaml").toString());
    }

    private void nightlyExits(int code) {
        int exit = nightly();
        assertThat(exit).as("exit code; stdout:%n%s%nstderr:%n%s", stdout(), stderr()).isEqualTo(code);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private SortedMap<Long, SortedSet<Long>> lists() {
        return SANDBOX.client().contactsByList(ACTIVATIONS.values());
    }

    /** The report.json of the newest run. */
    private JsonNode lastReport() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            Path last = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(Files.readString(last.resolve("report.json")));
        }
    }

    private Path newestRunDir() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            return runs.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void aRejectedIdentityLineKeepsTheUsersContactsWhereTheyWere() throws Exception {
        List<String[]> rows = SCENARIO.memberships(21, 0.5);
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), rows);
        nightlyExits(0);
        SortedMap<Long, SortedSet<Long>> day1 = SCENARIO.expected(rows);
        assertThat(lists()).isEqualTo(day1);

        // Day 2: three users' identity lines are broken in ways a producer really breaks them; everything else is the same.
        List<String> ids = new ArrayList<>(Files.readAllLines(dir.resolve("identities.jsonl")));
        ids.set(0, "{\"user_id\":\"u0\",\"aliases\":[{\"tag\":\"adestra\",\"id\":5000,\"priority\":1}],\"time\":\"2026-11-26T00:00:00Z\"}");
        ids.set(1, "{\"user_id\":\"u1\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\" 5001 \",\"priority\":1}],\"time\":\"2026-11-26T00:00:00Z\"}");
        ids.set(2, "{\"user_id\":\"u2\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"50020000000000000000\",\"priority\":1}],\"time\":\"2026-11-26T00:00:00Z\"}");
        Files.write(dir.resolve("identities.jsonl"), ids);
        // ... and u3 leaves every cohort while its identity line is unreadable: still not news that it left.
        ids.set(3, "{\"user_id\":\"u3\",\"aliases\":[{\"tag\":\"adestra\",\"id\":5003,\"priority\":1}],\"time\":\"2026-11-26T00:00:00Z\"}");
        Files.write(dir.resolve("identities.jsonl"), ids);
        List<String[]> day2 = rows.stream().filter(r -> !r[0].equals("u3")).toList();
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), day2);
        long seq = lastSeq();

        nightlyExits(0);
        assertThat(lists()).as("no contact of a held user was removed").isEqualTo(day1);
        assertThat(SANDBOX.client().log(seq)).filteredOn(e -> e.method().equals("DELETE")).isEmpty();
        JsonNode report = lastReport();
        assertThat(report.path("inputs").path("identities").path("rejected").asLong()).isEqualTo(4);
        assertThat(report.path("users_held").path("identity_rejected").asLong()).isEqualTo(4);
        assertThat(stdout()).contains("users held as they were (a line about them was rejected): 4 identity");
        assertThat(NightlyScenario.linesUnder(newestRunDir().resolve("held-users")))
                .containsExactlyInAnyOrder("u0\theld: identity line rejected", "u1\theld: identity line rejected",
                        "u2\theld: identity line rejected", "u3\theld: identity line rejected");

        // Day 3: the lines are fixed; u3's departure now counts.
        SCENARIO.writeIdentities(dir.resolve("identities.jsonl"));
        nightlyExits(0);
        assertThat(lists()).isEqualTo(SCENARIO.expected(day2));
    }

    @Test
    void aRejectedMembershipLineKeepsThatUsersListsButOthersChange() throws Exception {
        List<String[]> rows = SCENARIO.memberships(22, 0.5);
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), rows);
        nightlyExits(0);

        // Day 2: u4's rows are replaced by one unreadable row; u6 leaves its cohorts normally.
        List<String[]> day2 = rows.stream().filter(r -> !r[0].equals("u4") && !r[0].equals("u6")).toList();
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), day2, "u4,\"c1");
        nightlyExits(0);
        SortedMap<Long, SortedSet<Long>> expected = SCENARIO.expected(day2);
        rows.stream().filter(r -> r[0].equals("u4") && ACTIVATIONS.containsKey(r[1]))
                .forEach(r -> expected.get(ACTIVATIONS.get(r[1])).add(5004L));
        assertThat(lists()).isEqualTo(expected);
        assertThat(lastReport().path("users_held").path("membership_rejected").asLong()).isEqualTo(1);
        assertThat(stdout()).contains("rejected lines, with their line number, field and reason: 1 (listed in "
                + newestRunDir().resolve("rejects") + ")");
    }

    @Test
    void aCsvHeaderIsReadByNameInAnyOrderWithExtraColumns() throws Exception {
        List<String[]> rows = SCENARIO.memberships(23, 0.4);
        StringBuilder csv = new StringBuilder("cohort,score,user_id\n");
        rows.forEach(r -> csv.append(r[1]).append(",0.5,").append(r[0]).append('\n'));
        Files.writeString(dir.resolve("memberships.csv"), "\uFEFF" + csv);

        nightlyExits(0);
        assertThat(lists()).isEqualTo(SCENARIO.expected(rows));
        JsonNode memberships = lastReport().path("inputs").path("memberships");
        assertThat(memberships.path("rejected").asLong()).isZero();
        assertThat(memberships.path("lines").asLong()).isEqualTo(rows.size() + 1);
    }

    @Test
    void aHeaderWithoutACohortColumnFailsBeforeFlinkStartsNamingFileAndColumn() throws Exception {
        Files.writeString(dir.resolve("memberships.csv"), "user_id,segment\nu1,c1\n");

        nightlyExits(2);
        assertThat(stderr()).contains("inputs.memberships: ").contains("memberships.csv")
                .contains("the CSV header has no \"cohort\" column (it names: user_id, segment)");
        assertThat(SANDBOX.client().log(0)).isEmpty();
        assertThat(lastReport().path("outcome").asText()).isEqualTo("invalid-input");

        assertThat(mirror("check", "--config", dir.resolve("mirror.yaml").toString())).isEqualTo(2);
        assertThat(stderr()).contains("no \"cohort\" column");
    }

    @Test
    void aHeaderWeDoNotKnowFailsBeforeFlinkStartsNamingFileAndColumnsFoundAndWanted() throws Exception {
        List<String[]> rows = SCENARIO.memberships(27, 0.4);
        Path file = dir.resolve("memberships.csv");
        // Read by position, the first would count every row as ignored, the second reject every row.
        for (String header : List.of("segment_id,uid", "segment,source,uid")) {
            StringBuilder csv = new StringBuilder(header + "\n");
            rows.forEach(r -> csv.append(r[1]).append(header.contains("source") ? ",web," : ",").append(r[0]).append('\n'));
            Files.writeString(file, csv);
            String expected = "inputs.memberships: " + file + ": the first line is a header this run does not know (it names: "
                    + header.replace(",", ", ") + "); wanted: a header naming user_id and cohort (in any order, other columns"
                    + " ignored), or no header and rows user_id,cohort";

            assertThat(mirror("check", "--config", dir.resolve("mirror.yaml").toString())).as(header).isEqualTo(2);
            assertThat(stderr()).contains(expected);
            nightlyExits(2);
            assertThat(stderr()).contains("mirror nightly: " + expected).doesNotContain("\tat ");
            assertThat(lastReport().path("outcome").asText()).isEqualTo("invalid-input");
        }
        assertThat(SANDBOX.client().log(0)).isEmpty();
    }

    @Test
    void anInputTheRunDidNotUnderstandIsNotEveryoneLeavingAndTheOverrideIsRecorded() throws Exception {
        Path file = dir.resolve("memberships.csv");
        List<String[]> rows = SCENARIO.memberships(28, 0.5);
        NightlyScenario.writeMemberships(file, rows);
        nightlyExits(0);
        SortedMap<Long, SortedSet<Long>> day1 = SCENARIO.expected(rows);
        long seq = lastSeq();

        // Every row names a cohort that is not activated (an export of other cohorts): no row is used.
        List<String[]> others = rows.stream().map(r -> new String[] {r[0], "x" + r[1]}).toList();
        NightlyScenario.writeMemberships(file, others);
        nightlyExits(2);
        assertThat(stderr()).contains("mirror nightly: inputs.memberships: none of the " + others.size() + " rows of " + file
                + " is used (0 rejected, " + others.size() + " ignored: their cohort is not activated); that is not every"
                + " user gone: nothing was sent");
        assertThat(lastReport().path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(lists()).isEqualTo(day1);
        assertThat(SANDBOX.client().log(seq)).filteredOn(e -> e.method().equals("DELETE")).isEmpty();

        // Most rows unused (c2's and c3's under other names): lists 679 and 680 would be emptied. The
        // refusal says the input is the likely cause and does not advise the override.
        List<String[]> mostly = rows.stream().map(r -> r[1].equals("c1") ? r : new String[] {r[0], "x" + r[1]}).toList();
        long unused = mostly.stream().filter(r -> !r[1].equals("c1")).count();
        assertThat(2 * unused).as("premise: most rows unused").isGreaterThan(mostly.size());
        NightlyScenario.writeMemberships(file, mostly);
        nightlyExits(3);
        assertThat(stdout()).contains("REFUSED: nothing was sent")
                .contains("list 679: would remove " + day1.get(679L).size() + " of its " + day1.get(679L).size() + " contacts")
                .contains("; likely an input this run did not understand, not users leaving: inputs.memberships (" + unused
                        + " of its " + mostly.size() + " rows not used: 0 rejected, " + unused + " ignored); check it")
                .doesNotContain("--allow-large-removals");
        assertThat(lists()).isEqualTo(day1);

        // Given anyway, the override is recorded with what it allowed, on the terminal and in report.json.
        assertThat(mirror("nightly", "--config", dir.resolve("mirror.yaml").toString(), "--allow-large-removals"))
                .as(stdout()).isZero();
        assertThat(lists()).isEqualTo(SCENARIO.expected(mostly));
        List<String> allowed = new ArrayList<>();
        for (long list : List.of(679L, 680L)) {
            int n = day1.get(list).size();
            allowed.add("list " + list + ": " + n + " of " + n + " contacts to remove (100.0%), above nightly.max-removal-ratio 50.0%");
        }
        assertThat(lastReport().path("overrides")).map(o -> o.path("flag").asText() + ": " + o.path("allowed").asText())
                .containsExactlyElementsOf(allowed.stream().map(a -> "--allow-large-removals: " + a).toList());
        assertThat(stdout()).contains("overrides given:\n  --allow-large-removals: " + allowed.get(0) + "\n");

        // A full resync (dry run here) sends every target pair and segment again, and records how many.
        assertThat(mirror("nightly", "--config", dir.resolve("mirror.yaml").toString(), "--full-resync", "--dry-run"))
                .as(stdout()).isZero();
        long pairs = SCENARIO.expected(mostly).values().stream().mapToLong(SortedSet::size).sum();
        assertThat(lastReport().path("overrides")).map(o -> o.path("flag").asText() + ": " + o.path("allowed").asText())
                .containsExactly("--full-resync: " + pairs + " adds of contacts the snapshot has on their list and 2 updates of"
                        + " segments it has as they are, sent again");
    }

    @Test
    void anInputThatDoesNotExistIsACheckErrorNamingTheKey() throws Exception {
        writeConfig("v/x.csv");

        assertThat(mirror("check", "--config", dir.resolve("mirror.yaml").toString())).isEqualTo(2);
        assertThat(stderr()).contains("inputs.memberships: " + dir.resolve("v/x.csv") + " does not exist");
        nightlyExits(2);
        assertThat(stderr()).contains("inputs.memberships: " + dir.resolve("v/x.csv") + " does not exist")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(lastReport().path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(lastReport().path("failure").asText()).contains("does not exist");
    }

    @Test
    void aSegmentCodeGivenTwiceWithDifferentDefinitionsIsRejectedAndLeftAsItWas() throws Exception {
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), SCENARIO.memberships(24, 0.3));
        nightlyExits(0);

        Files.writeString(dir.resolve("segments.jsonl"), """
                {"code":"s1","name":"One, renamed"}
                {"code":"s2","name":"Two"}
                {"code":"s1","name":"One, renamed differently"}
                {"code":"s2","name":"Two"}
                """);
        nightlyExits(0);
        SortedMap<String, Segment> segments = SANDBOX.client().importDefinitions(IMPORT);
        assertThat(segments.keySet()).containsExactly("s1", "s2");
        assertThat(segments.get("s1").name()).as("held: neither definition wins").isEqualTo("One");
        List<String> rejects = NightlyScenario.linesUnder(newestRunDir().resolve("rejects"));
        assertThat(rejects).hasSize(2);
        assertThat(rejects).anySatisfy(l -> assertThat(l).contains("\"line\":1").contains("segments.jsonl:3"));
        assertThat(rejects).anySatisfy(l -> assertThat(l).contains("\"line\":3").contains("segments.jsonl:1"));
        JsonNode report = lastReport();
        assertThat(report.path("inputs").path("segments").path("rejected").asLong()).isEqualTo(2);
        assertThat(report.path("inputs").path("segments").path("ignored").asLong()).as("the same s2 twice").isEqualTo(1);
        assertThat(report.path("import").path("held").asLong()).isEqualTo(1);
    }

    @Test
    void aSecondRunOnTheSameStateDirectoryMeetsTheLock() throws Exception {
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), SCENARIO.memberships(25, 0.3));
        try (StateLock held = StateLock.acquire(dir.resolve("state").toString(), "20261127T020000Z", Clock.systemUTC())) {
            nightlyExits(5);
            assertThat(stderr()).contains("mirror nightly: locked: another nightly run is using " + dir.resolve("state"))
                    .contains("run 20261127T020000Z, pid " + ProcessHandle.current().pid());
            assertThat(SANDBOX.client().log(0)).isEmpty();
            assertThat(lastReport().path("outcome").asText()).isEqualTo("locked");
        }
        // A lock file left by a run that died (no process holds it) does not block.
        Files.writeString(dir.resolve("state/LOCK"), "run 20261126T020000Z, pid 999999 on elsewhere, since yesterday\n");
        nightlyExits(0);
        assertThat(lastReport().path("outcome").asText()).isEqualTo("pushed");
    }

    private static long lastSeq() {
        List<LogEntry> log = SANDBOX.client().log(0);
        return log.isEmpty() ? 0 : log.get(log.size() - 1).seq() + 1;
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nightly runs against an import that someone edits by hand between them, under both readings of
 * the Taxonomy API (the published contract: a whole batch refused with 404/409 for one wrong
 * premise; and per-row errors inside a 2xx). Before each night the "dashboard user" deletes codes
 * the night will update or delete, creates codes the night will create (so the run's Creates meet
 * codes that exist, as a replayed push's do), renames codes the night will update, and adds codes
 * no input ever names; some nights are {@code --full-resync}, before which any managed code may be
 * deleted or renamed by hand. After every night the import must hold exactly the definitions for
 * the codes the input names (computed here from the definitions alone), nothing for codes it
 * dropped, and the hand-made codes untouched.
 *
 * <p>{@code -Dhandedit.seeds=N} runs seeds 1..N per reading (default 2); {@code -Dhandedit.seed=S} one.
 */
class NightlyImportEditedByHandITCase {
    private static final String IMPORT = "8f0c6a52-3c1e-4d8e-9a51-2f7c0d1b6e43";
    private static final int NIGHTS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension CONTRACT = SandboxExtension.builder().lists(678).imports(IMPORT).build();

    @RegisterExtension
    static final SandboxExtension ROW_ERRORS = SandboxExtension.builder().lists(678).imports(IMPORT)
            .taxonomyRowErrors(true).build();

    @TempDir
    Path dir;

    private int night;

    static Stream<Arguments> readingsAndSeeds() {
        String one = System.getProperty("handedit.seed");
        List<Long> seeds = new ArrayList<>();
        if (one != null) {
            seeds.add(Long.parseLong(one));
        } else {
            for (long s = 1; s <= Long.getLong("handedit.seeds", 2); s++) {
                seeds.add(s);
            }
        }
        return Stream.of("published contract", "per-row errors")
                .flatMap(reading -> seeds.stream().map(seed -> Arguments.of(reading, seed)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("readingsAndSeeds")
    void everyNightTheManagedCodesEqualTheDefinitionsAndHandMadeCodesAreUntouched(String reading, long seed)
            throws Exception {
        SandboxExtension sandbox = reading.equals("per-row errors") ? ROW_ERRORS : CONTRACT;
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Segment> definitions = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String code = "s" + i;
            definitions.put(code, definition(random, code, 0));
        }
        SortedMap<String, Segment> handMade = new TreeMap<>();
        int handEdits = 0;
        for (night = 0; night < NIGHTS; night++) {
            boolean fullResync = night > 0 && random.nextInt(3) == 0;
            if (night > 0) {
                // What tonight's input changes: a few updates, creates and deletes.
                Map<String, Segment> next = new TreeMap<>(definitions);
                List<String> codes = new ArrayList<>(definitions.keySet());
                List<String> updated = pick(random, codes, 3);
                List<String> deleted = pick(random, without(codes, updated), 2);
                List<String> created = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    created.add("s" + (12 + night * 3 + k));
                }
                updated.forEach(c -> next.put(c, definition(random, c, night)));
                deleted.forEach(next::remove);
                created.forEach(c -> next.put(c, definition(random, c, night)));

                // The dashboard user, before the run.
                SortedMap<String, Segment> live = new TreeMap<>(sandbox.client().importSegments(IMPORT));
                for (String c : updated) {
                    switch (random.nextInt(3)) {
                        case 0 -> live.remove(c); // the night's Update meets a code that is gone
                        case 1 -> live.put(c, new Segment(c, "renamed by hand " + c, null, null, null));
                        default -> { }
                    }
                }
                deleted.stream().filter(c -> random.nextBoolean()).forEach(live::remove); // a Delete of a code that is gone
                created.stream().filter(c -> random.nextBoolean())
                        .forEach(c -> live.put(c, new Segment(c, "made by hand first " + c, "hand", 9.0, null)));
                if (fullResync) {
                    for (String c : without(codes, updated)) {
                        if (next.containsKey(c) && random.nextInt(4) == 0) {
                            if (random.nextBoolean()) {
                                live.remove(c);
                            } else {
                                live.put(c, new Segment(c, "renamed by hand " + c, null, null, null));
                            }
                        }
                    }
                }
                String hand = "hand-" + night;
                Segment mine = new Segment(hand, "A segment of the dashboard's own", "not ours", 3.0, List.of("x"));
                live.put(hand, mine);
                handMade.put(hand, mine);
                handEdits += differences(sandbox.client().importSegments(IMPORT), live);
                sandbox.client().putImport(IMPORT, live.values());
                definitions = next;
            }
            writeInputs(definitions.values());
            RunReport report = run(sandbox, fullResync);

            assertThat(report.outcome).as("night %d: %s", night, report.outcome).isEqualTo(RunReport.Outcome.PUSHED);
            SortedMap<String, Segment> imported = sandbox.client().importDefinitions(IMPORT);
            SortedMap<String, Segment> managed = new TreeMap<>(imported);
            managed.keySet().removeAll(handMade.keySet());
            assertThat(managed).as("night %d (%s): the codes the input names", night, fullResync ? "full resync" : "plain")
                    .isEqualTo(new TreeMap<>(definitions));
            SortedMap<String, Segment> raw = sandbox.client().importSegments(IMPORT);
            handMade.forEach((code, s) -> assertThat(raw).as("hand-made %s", code).containsEntry(code, s));
            assertThat(report.segmentsNotManaged).as("codes no input names, counted in the report").isEqualTo(handMade.size());
        }
        assertThat(handEdits).as("the import was edited by hand").isGreaterThan(NIGHTS);
        assertThat(handMade).hasSize(NIGHTS - 1);
    }

    @Test
    void definitionsWithoutACodeGetOneFromTheirNameAndTwoThatMeetAreRejectedTogether() throws Exception {
        Files.writeString(dir.resolve("segments.jsonl"), String.join("\n",
                "{\"name\":\"Café News\",\"cpm\":1.5}",
                "{\"name\":\"Sports & Outdoors\"}",
                "{\"name\":\"sports outdoors\"}",
                "{\"code\":\"given\",\"name\":\"Given Code\"}") + "\n");
        writeUsers();
        RunReport report = run(CONTRACT, false, "reject-threshold: 0.9");

        assertThat(CONTRACT.client().importDefinitions(IMPORT)).containsOnlyKeys("cafe_news", "given")
                .containsEntry("cafe_news", new Segment("cafe_news", "Café News", null, 1.5, null));
        List<String> rejects = NightlyScenario.linesUnder(dir.resolve("runs")).stream()
                .filter(l -> l.contains("segment code \\\"sports_outdoors\\\" is defined again")).toList();
        assertThat(rejects).as("both lines rejected, each naming the other").hasSize(2);
        assertThat(rejects.get(0)).contains("segments.jsonl:3");
        assertThat(rejects.get(1)).contains("segments.jsonl:2");
        assertThat(report.outcome).isEqualTo(RunReport.Outcome.PUSHED);
    }

    private static Segment definition(SplittableRandom random, String code, int night) {
        return new Segment(code, "Segment " + code + " night " + night + " #" + random.nextInt(1000),
                random.nextBoolean() ? "about " + code : null,
                random.nextBoolean() ? 1.0 + random.nextInt(9) : null,
                random.nextBoolean() ? List.of("news", "n" + night) : null);
    }

    private static List<String> pick(SplittableRandom random, List<String> from, int n) {
        List<String> pool = new ArrayList<>(from);
        List<String> out = new ArrayList<>();
        while (out.size() < n && !pool.isEmpty()) {
            out.add(pool.remove(random.nextInt(pool.size())));
        }
        return out;
    }

    private static List<String> without(List<String> all, List<String> some) {
        List<String> out = new ArrayList<>(all);
        out.removeAll(some);
        return out;
    }

    private static int differences(Map<String, Segment> before, Map<String, Segment> after) {
        int n = 0;
        for (String c : before.keySet()) {
            if (!before.get(c).equals(after.get(c))) {
                n++;
            }
        }
        for (String c : after.keySet()) {
            if (!before.containsKey(c)) {
                n++;
            }
        }
        return n;
    }

    private void writeInputs(Iterable<Segment> segments) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Segment s : segments) {
            lines.add(dev.audiencemirror.testing.SegmentLines.json(s));
        }
        Files.write(dir.resolve("segments.jsonl"), lines, StandardCharsets.UTF_8);
        writeUsers();
    }

    private void writeUsers() throws Exception {
        Files.writeString(dir.resolve("identities.jsonl"),
                "{\"user_id\":\"u1\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"5001\",\"priority\":0}],\"time\":\"2026-11-27T00:00:00Z\"}\n");
        Files.writeString(dir.resolve("memberships.csv"), "user_id,cohort\nu1,c1\n");
    }

    private RunReport run(SandboxExtension sandbox, boolean fullResync, String... nightly) throws Exception {
        MirrorConfig config = TestConfig.of(sandbox, dir)
                .activations("c1: 678")
                .taxonomy("import-id: " + IMPORT, "max-attempts: 4", "max-retry-time: 20s", "linger: 50ms")
                .nightlyFiles()
                .nightly(nightly)
                .load();
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(night), ZoneOffset.UTC);
        return new NightlyRun(config, new NightlyRun.Options(false, fullResync, false), clock,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).execute();
    }
}

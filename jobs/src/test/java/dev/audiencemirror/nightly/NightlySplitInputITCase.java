package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.files.NumberedLinesSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same inputs, bad lines planted at random places, planned twice: each input file read whole
 * by one reader, and cut into ranges of a few hundred bytes read by two. Both plans, the rejects
 * (file and line, field), the held and the unmatched users must be the same, and the rejects must
 * name exactly the lines planted.
 */
class NightlySplitInputITCase {
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);
    private static final NightlyScenario SCENARIO = new NightlyScenario(1500, ACTIVATIONS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL_SPLITS = "700b";

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void aFileReadInRangesPlansAndRejectsAsWhole(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        TreeSet<String> planted = new TreeSet<>();

        Path identities = dir.resolve("identities.jsonl");
        SCENARIO.writeIdentities(identities);
        List<String> ids = new ArrayList<>(Files.readAllLines(identities));
        for (int i = 0; i < 12; i++) {
            int user = r.nextInt(1500);
            ids.add(r.nextInt(ids.size() + 1), switch (i % 3) {
                case 0 -> "{\"user_id\":\"u" + user + "\",\"aliases\":[],\"time\":\"yesterday\"}";
                case 1 -> "{\"user_id\":\"u" + user + "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"" + (5000 + user)
                        + "\",\"priority\":1}],\"time\":\"2026-11-26T00:00:00Z\",\"time\":\"2026-11-27T00:00:00Z\"}";
                default -> "not json " + i;
            });
        }
        Files.write(identities, ids);
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).endsWith(":00Z\"}") || ids.get(i).indexOf("\"time\"") != ids.get(i).lastIndexOf("\"time\"")) {
                planted.add(key("identities.jsonl", i + 1));
            }
        }

        Path memberships = dir.resolve("memberships.csv");
        NightlyScenario.writeMemberships(memberships, SCENARIO.memberships(seed, 0.4));
        List<String> rows = new ArrayList<>(Files.readAllLines(memberships));
        for (int i = 0; i < 12; i++) {
            rows.add(1 + r.nextInt(rows.size()), i % 2 == 0 ? "u" + r.nextInt(1500) + ",c1,extra" : "u" + r.nextInt(1500) + ",\"c2");
        }
        Files.write(memberships, rows);
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).contains("extra") || rows.get(i).contains("\"")) {
                planted.add(key("memberships.csv", i + 1));
            }
        }
        assertThat(planted).hasSize(24);
        writePreviousSnapshot(seed);
        assertThat(Files.size(memberships)).as("the memberships make many ranges").isGreaterThan(20 * 700);

        Planned whole = plan("1g", 1);
        Planned split = plan(SMALL_SPLITS, 2);

        assertThat(whole.rejects.stream().map(s -> s.substring(0, s.indexOf(' '))).toList())
                .as("rejects read whole").containsExactlyElementsOf(planted);
        assertThat(split.rejects).as("rejects read in ranges").containsExactlyElementsOf(whole.rejects);
        assertThat(split.listOps).as("plan read in ranges").containsExactlyElementsOf(whole.listOps).isNotEmpty();
        assertThat(split.held).as("held users").containsExactlyElementsOf(whole.held).isNotEmpty();
        assertThat(split.unmatched).as("unmatched users").containsExactlyElementsOf(whole.unmatched).isNotEmpty();
        assertThat(split.counts).as("report counts").isEqualTo(whole.counts);
    }

    private record Planned(List<String> listOps, List<String> rejects, List<String> held, List<String> unmatched, String counts) {}

    private Planned plan(String splitSize, int parallelism) throws Exception {
        String yaml = """
                activations: {c1: 678, c2: 679, c3: 680}
                adestra:
                  base-url: embedded
                taxonomy:
                  base-url: embedded
                  import-id: 10187a8b-1542-5bbe-8731-7fdf4037758d
                inputs:
                  identities: %1$s/identities.jsonl
                  memberships: %1$s/memberships.csv
                nightly:
                  state-dir: %1$s/state
                  runs-dir: %1$s/runs-%2$s
                  reject-threshold: 0.5
                flink:
                  parallelism.default: %3$d
                  %4$s: "%2$s"
                """.formatted(dir, splitSize, parallelism, NumberedLinesSource.SPLIT_SIZE.key());
        MirrorConfig config = new ConfigLoader(Map.of()).parse(yaml, "split.yaml");
        RunReport report = NightlyScenario.dryRun(config);
        List<String> rejects = new ArrayList<>();
        for (String line : NightlyScenario.linesUnder(report.runDir.resolve(PlanOutputs.REJECTS))) {
            JsonNode n = JSON.readTree(line);
            rejects.add(key(n.path("source").asText(), n.path("line").asLong()) + " " + n.path("field").asText() + ": "
                    + n.path("reason").asText());
        }
        rejects.sort(null);
        JsonNode json = JSON.readTree(Files.readString(report.runDir.resolve("report.json")));
        String counts = json.path("inputs").toString() + json.path("lists").toString() + json.path("users_held").toString();
        return new Planned(sorted(NightlyScenario.linesUnder(report.runDir.resolve(PlanOutputs.LIST_OPS))), rejects,
                sorted(NightlyScenario.linesUnder(report.runDir.resolve(PlanOutputs.HELD_USERS))),
                sorted(NightlyScenario.linesUnder(report.runDir.resolve(PlanOutputs.UNMATCHED_USERS))), counts);
    }

    /** Last run's lists from another seed's memberships, so the plan adds and removes. */
    private void writePreviousSnapshot(long seed) throws IOException {
        Path pairs = dir.resolve("state/snapshots/20261126T020000Z/pairs");
        Files.createDirectories(pairs);
        StringBuilder lines = new StringBuilder();
        SCENARIO.expected(SCENARIO.memberships(seed + 1000, 0.4))
                .forEach((list, contacts) -> contacts.forEach(c -> lines.append(c).append(',').append(list).append('\n')));
        Files.writeString(pairs.resolve("part-0.csv"), lines);
        Files.writeString(dir.resolve("state/CURRENT"), "20261126T020000Z\n");
    }

    /** {@code file:line}, the line zero-padded so the order is the file's. */
    private static String key(String file, long line) {
        return file + ":" + String.format("%06d", line);
    }

    private static List<String> sorted(List<String> lines) {
        lines.sort(null);
        return lines;
    }
}

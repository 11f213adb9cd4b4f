package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.files.NumberedLinesSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users with several identity lines (other contacts, none, the same time or not), spread through
 * an identities file that is read in small ranges by two readers, so the lines of one user reach
 * the join in an order that changes from run to run. The plan must be the one computed here from
 * the lines alone: per user the line with the latest time stands, on the same time the later line.
 * {@code -Didentityorder.seeds=N} (default 8), {@code -Didentityorder.seed=S} for one.
 */
class NightlyIdentityOrderITCase {
    private static final int USERS = 240;
    private static final String[] TIMES = {"2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z", "2026-11-26T00:00:00.000001Z"};
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @TempDir
    Path dir;

    static LongStream seeds() {
        Long one = Long.getLong("identityorder.seed");
        return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, Integer.getInteger("identityorder.seeds", 8));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStandingIdentityDoesNotDependOnReadOrder(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        // Every identity line: {user, contact or null, time index}; the standing one is computed below.
        List<String> lines = new ArrayList<>();
        List<Object[]> records = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                String contact = r.nextInt(6) == 0 ? null : Integer.toString(7000 + r.nextInt(USERS * 2));
                records.add(new Object[] {"u" + u, contact, r.nextInt(TIMES.length)});
            }
        }
        Collections.shuffle(records, new Random(seed));
        String[] standing = new String[USERS];
        int[] standingTime = new int[USERS];
        boolean[] seen = new boolean[USERS];
        for (Object[] rec : records) {
            int u = Integer.parseInt(((String) rec[0]).substring(1));
            String contact = (String) rec[1];
            int time = (Integer) rec[2];
            String aliases = contact == null ? "[{\"tag\":\"email\",\"id\":\"e" + u + "\",\"priority\":1}]"
                    : "[{\"tag\":\"adestra\",\"id\":\"" + contact + "\",\"priority\":1}]";
            lines.add("{\"user_id\":\"" + rec[0] + "\",\"aliases\":" + aliases + ",\"time\":\"" + TIMES[time] + "\"}");
            // Lines are in file order here: a later line at the same time stands.
            if (!seen[u] || time >= standingTime[u]) {
                seen[u] = true;
                standing[u] = contact;
                standingTime[u] = time;
            }
        }
        Files.write(dir.resolve("identities.jsonl"), lines);

        StringBuilder csv = new StringBuilder("user_id,cohort\n");
        TreeSet<String> target = new TreeSet<>();
        for (int u = 0; u < USERS; u++) {
            for (String cohort : List.of("c1", "c2")) {
                if (r.nextInt(2) == 0) {
                    csv.append('u').append(u).append(',').append(cohort).append('\n');
                    if (standing[u] != null) {
                        target.add(standing[u] + "," + ACTIVATIONS.get(cohort));
                    }
                }
            }
        }
        Files.writeString(dir.resolve("memberships.csv"), csv);

        // Last run's lists: some of today's pairs, and pairs of contacts a user had on another line.
        TreeSet<String> previous = new TreeSet<>();
        for (Object[] rec : records) {
            if (rec[1] != null && r.nextInt(3) == 0) {
                previous.add(rec[1] + "," + (r.nextBoolean() ? 678 : 679));
            }
        }
        target.stream().filter(p -> r.nextBoolean()).forEach(previous::add);
        Path pairs = dir.resolve("state/snapshots/20261126T020000Z/pairs");
        Files.createDirectories(pairs);
        Files.write(pairs.resolve("part-0.csv"), previous);
        Files.writeString(dir.resolve("state/CURRENT"), "20261126T020000Z\n");

        TreeSet<String> expected = new TreeSet<>();
        target.stream().filter(p -> !previous.contains(p)).forEach(p -> expected.add("ADD " + p));
        previous.stream().filter(p -> !target.contains(p)).forEach(p -> expected.add("REMOVE " + p));
        assertThat(expected).as("the scenario changes the lists").isNotEmpty();

        String splitSize = (200 + r.nextInt(600)) + "b";
        assertThat(plan(splitSize)).as("plan of seed %d, identities read in %s ranges", seed, splitSize)
                .containsExactlyElementsOf(expected);
    }

    private TreeSet<String> plan(String splitSize) throws Exception {
        String yaml = """
                activations: {c1: 678, c2: 679}
                adestra:
                  base-url: embedded
                taxonomy:
                  base-url: embedded
                  import-id: a60b87e0-12c2-546a-88ec-a87e8f1ba7dc
                inputs:
                  identities: %1$s/identities.jsonl
                  memberships: %1$s/memberships.csv
                nightly:
                  state-dir: %1$s/state
                  runs-dir: %1$s/runs
                flink:
                  parallelism.default: 2
                  %2$s: "%3$s"
                """.formatted(dir, NumberedLinesSource.SPLIT_SIZE.key(), splitSize);
        MirrorConfig config = new ConfigLoader(Map.of()).parse(yaml, "order.yaml");
        RunReport report = NightlyScenario.dryRun(config);
        TreeSet<String> ops = new TreeSet<>();
        for (String line : NightlyScenario.linesUnder(report.runDir.resolve(PlanOutputs.LIST_OPS))) {
            PlannedOperation.ListOp op = (PlannedOperation.ListOp) PlannedOperation.decode(line);
            ops.add(op.action() + " " + op.contactId() + "," + op.listId());
        }
        return ops;
    }
}

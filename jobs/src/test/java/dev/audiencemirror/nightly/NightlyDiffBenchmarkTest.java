package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLinesSource;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly diff at scale against DuckDB, in one JVM, on the same files.
 *
 * <p>Generated (deterministically, under the test's temp dir): {@code bench.users} users (default
 * 2.5 million) with a UUID user ID; 99% carry an {@code adestra} alias (the contact ID), 1% only an
 * email alias. Each user is in 4 of 8 cohorts: 10 million membership rows (CSV
 * {@code user_id,cohort} with a header), 7 cohorts activated to lists 678–684. The previous
 * snapshot is today's target pairs with 1% changed: 0.5% of the pairs left out (→ adds) and as many
 * pairs of users not in that cohort put in (→ removes). It is written directly in the nightly run's
 * own snapshot layout ({@code state/CURRENT} and {@code state/snapshots/<id>/pairs/part-0.csv}, lines
 * {@code contactId,listId}), so {@link NightlyRun} reads it as the last synced snapshot exactly as
 * it reads one that a previous run committed.
 *
 * <p>Measured, each as the wall time of one call:
 *
 * <ol>
 *   <li><b>Flink</b>: {@link NightlyRun#execute()} with {@code --dry-run --allow-large-removals} on
 *       Flink's local environment (a MiniCluster started by the call, parallelism 2): start-up,
 *       plan job (parse, join, diff, write the plan and the new baseline), plan file and report;
 *   <li><b>DuckDB</b> (in-process, JDBC, 2 threads) from opening the connection: reads the same
 *       identities JSONL ({@code read_json}), memberships CSV and previous pairs CSV, joins, computes
 *       adds = target EXCEPT previous and removes = previous EXCEPT target, writes them to a CSV
 *       plan and the target pairs to a CSV baseline (the job's two outputs), counts per list;
 *   <li><b>floor</b>: a Flink batch job (same environment and parallelism) that only reads and
 *       parses the three inputs with the plan job's own parse steps into a discarding sink.
 * </ol>
 *
 * The adds and removes per list of Flink, DuckDB and the generator must all agree, or the test
 * fails. Run:
 *
 * <pre>
 * mvn -B -ntp -o -pl jobs test -Dsurefire.excludedGroups=none -Dgroups=benchmark -Dtest=NightlyDiffBenchmarkTest
 * </pre>
 *
 * Output in {@code jobs/target/surefire-reports/dev.audiencemirror.nightly.NightlyDiffBenchmarkTest-output.txt}.
 * Knobs: {@code -Dbench.users=N} (membership rows = 4N), {@code -Dbench.parallelism=2},
 * {@code -Dbench.rounds=1} (more rounds repeat all three measurements in the same JVM).
 */
@Tag("benchmark")
class NightlyDiffBenchmarkTest {
    private static final int USERS = Integer.getInteger("bench.users", 2_500_000);
    private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 1);

    private static final int COHORTS = 8;
    private static final int COHORTS_PER_USER = 4;
    /** Cohorts 1001..1007 are activated, to lists 678..684; 1008 is not mirrored. */
    private static final int ACTIVATED = 7;
    private static final long FIRST_LIST = 678;
    private static final long FIRST_CONTACT = 20_000_000L;
    private static final double NO_CONTACT = 0.01;
    /** Share of target pairs left out of the previous snapshot, and of non-member pairs put in. */
    private static final double CHANGED = 0.005;
    private static final String PREVIOUS_ID = "20261126T020000Z";

    @TempDir
    Path dir;

    /** What the generator wrote, and the diff it expects per list. */
    private static final class Generated {
        long identities;
        long membershipRows;
        long targetPairs;
        long previousPairs;
        final Map<Long, long[]> expected = new TreeMap<>(); // list → {adds, removes}
    }

    @Test
    void nightlyDiffAgainstDuckDb() throws Exception {
        long t0 = System.nanoTime();
        Generated g = generate();
        log("generated in %.1f s under %s: %,d identities (%,d bytes), %,d membership rows (%,d bytes),"
                        + " %,d previous pairs (%,d bytes); target pairs %,d",
                secs(System.nanoTime() - t0), dir, g.identities, Files.size(dir.resolve("identities.jsonl")),
                g.membershipRows, Files.size(dir.resolve("memberships.csv")), g.previousPairs,
                Files.size(previousPairsFile()), g.targetPairs);
        Map<Long, long[]> expected = g.expected;
        log("Flink settings: parallelism.default %d%s", PARALLELISM, extraFlinkSettings().isEmpty() ? ""
                : ", " + extraFlinkSettings().strip().replace("\n", ", ").replaceAll(" +", " "));
        log("expected from the generator (adds/removes per list): %s", show(expected));

        for (int round = 1; round <= ROUNDS; round++) {
            // Flink first: a cold JVM for Flink, as bin/mirror has.
            String load = loadAverage();
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            long rssBefore = resetPeakRss();
            long start = System.nanoTime();
            long cpu = cpuNanos();
            RunReport report = new NightlyRun(config(), new NightlyRun.Options(true, false, true),
                    Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(round), ZoneOffset.UTC),
                    new PrintStream(progress, true, StandardCharsets.UTF_8)).execute();
            long flinkNanos = System.nanoTime() - start;
            long flinkCpu = cpuNanos() - cpu;
            long flinkPeak = peakRss();
            String planned = progress.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("planned in"))
                    .findFirst().orElse("(no plan line)");
            assertThat(report.outcome).isEqualTo(RunReport.Outcome.DRY_RUN);
            Map<Long, long[]> flink = new TreeMap<>();
            report.lists.forEach((list, c) -> flink.put(list, new long[] {c.adds, c.removes}));
            long flinkTarget = report.lists.values().stream().mapToLong(c -> c.target).sum();
            long flinkSynced = report.lists.values().stream().mapToLong(c -> c.synced).sum();

            long duckRssBefore = resetPeakRss();
            start = System.nanoTime();
            cpu = cpuNanos();
            DuckResult duck = duckDb(dir.resolve("duck-" + round));
            long duckNanos = System.nanoTime() - start;
            long duckCpu = cpuNanos() - cpu;
            long duckPeak = peakRss();

            start = System.nanoTime();
            cpu = cpuNanos();
            long parsed = parseOnly();
            long floorNanos = System.nanoTime() - start;
            long floorCpu = cpuNanos() - cpu;

            log("round %d (load average before: %s)", round, load);
            log("  rows: identities %,d, memberships %,d, previous pairs %,d -> target pairs %,d (Flink %,d, DuckDB %,d),"
                            + " previous pairs read by Flink %,d, users without contact %,d",
                    g.identities, g.membershipRows, g.previousPairs, g.targetPairs, flinkTarget, duck.target,
                    flinkSynced, report.usersWithoutContact);
            log("  adds/removes per list: Flink %s", show(flink));
            log("                         DuckDB %s", show(duck.diff));
            log("  Flink nightly dry run (start-up + plan job + plan file): %6.2f s wall, %6.2f s CPU", secs(flinkNanos),
                    secs(flinkCpu));
            log("    %s", planned);
            log("    peak RSS of this JVM during the run: %,d MB (%,d MB at its start)", flinkPeak >> 20, rssBefore >> 20);
            log("  DuckDB (connect + read_json/read_csv + join + EXCEPT x2 + write plan and baseline): %6.2f s wall, %6.2f s CPU",
                    secs(duckNanos), secs(duckCpu));
            log("    DuckDB steps: %s", duck.steps.entrySet().stream()
                    .map(e -> String.format("%s %.2f s", e.getKey(), secs(e.getValue()))).collect(Collectors.joining(", ")));
            log("    peak RSS of this JVM during DuckDB: %,d MB (%,d MB at its start: the JVM's heap stays resident)",
                    duckPeak >> 20, duckRssBefore >> 20);
            log("  ratio Flink/DuckDB: %.2f wall, %.2f CPU", (double) flinkNanos / duckNanos, (double) flinkCpu / duckCpu);
            log("  Flink parse-only floor (start-up + read and parse the 3 inputs; %,d identity and membership lines): %6.2f s wall"
                    + " (%.0f%% of the run), %6.2f s CPU", parsed, secs(floorNanos), 100.0 * floorNanos / flinkNanos, secs(floorCpu));

            assertThat(asLists(flink)).as("Flink adds/removes per list").isEqualTo(asLists(expected));
            assertThat(asLists(duck.diff)).as("DuckDB adds/removes per list").isEqualTo(asLists(expected));
            assertThat(flinkTarget).isEqualTo(g.targetPairs);
            assertThat(duck.target).isEqualTo(g.targetPairs);
            assertThat(flinkSynced).isEqualTo(g.previousPairs);
        }
    }

    // ---- data

    private Path previousPairsFile() {
        return dir.resolve("state").resolve("snapshots").resolve(PREVIOUS_ID).resolve("pairs").resolve("part-0.csv");
    }

    private Generated generate() throws IOException {
        Generated g = new Generated();
        for (int l = 0; l < ACTIVATED; l++) {
            g.expected.put(FIRST_LIST + l, new long[2]);
        }
        Path pairs = previousPairsFile();
        Files.createDirectories(pairs.getParent());
        SplittableRandom r = new SplittableRandom(42);
        int[] cohorts = new int[COHORTS];
        try (BufferedWriter ids = writer(dir.resolve("identities.jsonl"));
                BufferedWriter members = writer(dir.resolve("memberships.csv"));
                BufferedWriter previous = writer(pairs)) {
            members.write("user_id,cohort\n");
            for (int i = 0; i < USERS; i++) {
                String user = new UUID(r.nextLong(), r.nextLong()).toString();
                boolean hasContact = r.nextDouble() >= NO_CONTACT;
                String contact = Long.toString(FIRST_CONTACT + i);
                ids.write("{\"user_id\":\"");
                ids.write(user);
                ids.write(hasContact
                        ? "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"" + contact + "\",\"priority\":0}]"
                        : "\",\"aliases\":[{\"tag\":\"email\",\"id\":\"h" + i + "\",\"priority\":0}]");
                ids.write(",\"time\":\"2026-11-26T00:00:00Z\"}\n");
                g.identities++;

                // 4 distinct cohorts of 8: a partial Fisher-Yates shuffle
                for (int c = 0; c < COHORTS; c++) {
                    cohorts[c] = c;
                }
                boolean[] member = new boolean[COHORTS];
                for (int c = 0; c < COHORTS_PER_USER; c++) {
                    int pick = c + r.nextInt(COHORTS - c);
                    int tmp = cohorts[c];
                    cohorts[c] = cohorts[pick];
                    cohorts[pick] = tmp;
                    member[cohorts[c]] = true;
                    members.write(user);
                    members.write(',');
                    members.write(Integer.toString(1001 + cohorts[c]));
                    members.write('\n');
                    g.membershipRows++;
                }
                if (!hasContact) {
                    continue;
                }
                for (int c = 0; c < ACTIVATED; c++) {
                    long list = FIRST_LIST + c;
                    boolean changed = r.nextDouble() < CHANGED;
                    if (member[c]) {
                        g.targetPairs++;
                    }
                    if (changed) {
                        // a member left out of the previous snapshot (→ ADD), or a non-member in it (→ REMOVE)
                        g.expected.get(list)[member[c] ? 0 : 1]++;
                    }
                    if (member[c] != changed) {
                        previous.write(contact);
                        previous.write(',');
                        previous.write(Long.toString(list));
                        previous.write('\n');
                        g.previousPairs++;
                    }
                }
            }
        }
        Files.writeString(dir.resolve("state").resolve("CURRENT"), PREVIOUS_ID + "\n");
        return g;
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private MirrorConfig config() {
        String activations = java.util.stream.IntStream.range(0, ACTIVATED)
                .mapToObj(c -> "\"" + (1001 + c) + "\": " + (FIRST_LIST + c))
                .collect(Collectors.joining(", ", "{", "}"));
        String yaml = """
                activations: %1$s
                adestra:
                  base-url: embedded
                taxonomy:
                  base-url: embedded
                  import-id: bench
                inputs:
                  identities: %2$s/identities.jsonl
                  memberships: %2$s/memberships.csv
                nightly:
                  state-dir: %2$s/state
                  runs-dir: %2$s/runs
                flink:
                  parallelism.default: %3$d
                %4$s""".formatted(activations, dir, PARALLELISM, extraFlinkSettings());
        return new ConfigLoader(Map.of()).parse(yaml, "benchmark.yaml");
    }

    /** {@code -Dbench.flink.KEY=VALUE} adds {@code KEY: VALUE} to the run's {@code flink:} settings. */
    private static String extraFlinkSettings() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.flink."))
                .sorted()
                .map(k -> "  " + k.substring("bench.flink.".length()) + ": \"" + System.getProperty(k) + "\"\n")
                .collect(Collectors.joining());
    }

    // ---- DuckDB

    private record DuckResult(Map<Long, long[]> diff, long target, Map<String, Long> steps) {}

    private static long step(Map<String, Long> steps, String name, long since) {
        long now = System.nanoTime();
        steps.put(name, now - since);
        return now;
    }

    private DuckResult duckDb(Path out) throws Exception {
        Map<String, Long> steps = new LinkedHashMap<>();
        Files.createDirectories(out);
        String values = java.util.stream.IntStream.range(0, ACTIVATED)
                .mapToObj(c -> "('" + (1001 + c) + "', " + (FIRST_LIST + c) + ")")
                .collect(Collectors.joining(", "));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = db.createStatement()) {
            s.execute("SET threads = " + PARALLELISM);
            s.execute("SET temp_directory = '" + out.resolve("spill") + "'");
            s.execute("SET preserve_insertion_order = false");
            s.execute("CREATE TEMP TABLE activations(cohort VARCHAR, list_id BIGINT)");
            s.execute("INSERT INTO activations VALUES " + values);
            // Each user's contact: its adestra alias (the lowest priority among several), read from the JSONL.
            long t = System.nanoTime();
            s.execute("""
                    CREATE TEMP TABLE contacts AS
                    SELECT user_id, arg_min(a.id, a.priority) AS contact_id
                    FROM (SELECT user_id, unnest(aliases) AS a
                          FROM read_json('%s', format = 'newline_delimited',
                               columns = {user_id: 'VARCHAR',
                                          aliases: 'STRUCT(tag VARCHAR, id VARCHAR, priority INTEGER)[]',
                                          time: 'VARCHAR'}))
                    WHERE a.tag = 'adestra'
                    GROUP BY user_id""".formatted(dir.resolve("identities.jsonl")));
            t = step(steps, "contacts (read_json identities)", t);
            s.execute("""
                    CREATE TEMP TABLE target AS
                    SELECT DISTINCT c.contact_id, a.list_id
                    FROM read_csv('%s', header = true, columns = {user_id: 'VARCHAR', cohort: 'VARCHAR'}) m
                    JOIN activations a ON a.cohort = m.cohort
                    JOIN contacts c ON c.user_id = m.user_id""".formatted(dir.resolve("memberships.csv")));
            t = step(steps, "target (read_csv memberships, join)", t);
            s.execute("""
                    CREATE TEMP TABLE previous AS
                    SELECT DISTINCT contact_id, list_id
                    FROM read_csv('%s/*.csv', header = false, columns = {contact_id: 'VARCHAR', list_id: 'BIGINT'})"""
                    .formatted(previousPairsFile().getParent()));
            t = step(steps, "previous (read_csv pairs)", t);
            s.execute("""
                    CREATE TEMP TABLE ops AS
                    SELECT 'ADD' AS action, * FROM (SELECT * FROM target EXCEPT SELECT * FROM previous)
                    UNION ALL
                    SELECT 'REMOVE' AS action, * FROM (SELECT * FROM previous EXCEPT SELECT * FROM target)""");
            t = step(steps, "ops (EXCEPT x2)", t);
            s.execute("COPY ops TO '%s' (HEADER false)".formatted(out.resolve("plan.csv")));
            t = step(steps, "write plan", t);
            s.execute("COPY target TO '%s' (HEADER false)".formatted(out.resolve("baseline.csv")));
            step(steps, "write baseline", t);
            Map<Long, long[]> diff = new TreeMap<>();
            try (ResultSet rs = s.executeQuery("SELECT list_id, action, count(*) FROM ops GROUP BY ALL")) {
                while (rs.next()) {
                    diff.computeIfAbsent(rs.getLong(1), l -> new long[2])[rs.getString(2).equals("ADD") ? 0 : 1] = rs.getLong(3);
                }
            }
            long target;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM target")) {
                rs.next();
                target = rs.getLong(1);
            }
            return new DuckResult(diff, target, steps);
        }
    }

    // ---- floor: read and parse only

    private long parseOnly() throws Exception {
        MirrorConfig config = config();
        Configuration conf = Configuration.fromMap(config.flink());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        DataStream<UserInput> ids = lines(env, conf, dir.resolve("identities.jsonl"), "identities")
                .process(new PlanInputs.Identities(config.aliasTag())).name("parse identities");
        DataStream<UserInput> members = lines(env, conf, dir.resolve("memberships.csv"), "memberships")
                .process(new PlanInputs.Memberships(config.activations(), java.util.Set.of(), Map.of())).name("parse memberships");
        DataStream<ContactFlags> previous = lines(env, conf, previousPairsFile().getParent(), "previous pairs")
                .map(line -> ContactFlags.ofKey(new String(line.bytes(), StandardCharsets.UTF_8), ContactFlags.SYNCED))
                .returns(ContactFlags.class).name("parse previous pairs");
        ids.sinkTo(new DiscardingSink<>());
        members.sinkTo(new DiscardingSink<>());
        previous.sinkTo(new DiscardingSink<>());
        Map<String, Object> acc = env.execute("nightly benchmark: parse only").getAllAccumulatorResults();
        return ((Number) acc.get(ParseAndMap.counter("identities", "lines"))).longValue()
                + ((Number) acc.get(ParseAndMap.counter("memberships", "lines"))).longValue();
    }

    /** The lines of {@code path} as the plan job reads them (ranges of the run's split size). */
    private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, Configuration conf, Path path, String name) {
        return env.fromSource(NumberedLinesSource.of(conf.get(NumberedLinesSource.SPLIT_SIZE),
                new org.apache.flink.core.fs.Path(path.toUri())), WatermarkStrategy.noWatermarks(), "read " + name);
    }

    // ---- output

    private static Map<Long, String> asLists(Map<Long, long[]> diff) {
        Map<Long, String> out = new TreeMap<>();
        diff.forEach((list, c) -> {
            if (c[0] != 0 || c[1] != 0) {
                out.put(list, c[0] + "/" + c[1]);
            }
        });
        return out;
    }

    private static String show(Map<Long, long[]> diff) {
        Map<Long, String> m = new LinkedHashMap<>(asLists(diff));
        return m.toString();
    }

    /** CPU time of this whole process: Flink's threads, GC and JIT, and DuckDB's native threads. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Resets this process's peak resident set size (Linux: {@code 5} to {@code /proc/self/clear_refs})
     * and returns the current one, so the next {@link #peakRss()} covers only what runs in between.
     */
    private static long resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            log("  (peak RSS cannot be reset here: %s)", e.getMessage());
        }
        return statusKb("VmRSS:") * 1024;
    }

    private static long peakRss() {
        return statusKb("VmHWM:") * 1024;
    }

    private static long statusKb(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field))
                    .mapToLong(l -> Long.parseLong(l.substring(field.length()).replace("kB", "").strip())).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's load before a round: other processes on the 2 cores skew wall times, not CPU times. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}

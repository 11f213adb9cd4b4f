package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of the streaming job's keyed stage (identity join, {@code user-membership},
 * {@code net-list-diff}) against the floor of parsing the same records, in one JVM, side by side:
 *
 * <ol>
 *   <li><b>parse only</b>: generated lines → the job's two parse steps → discarding sinks;
 *   <li><b>heap</b>: the keyed stage as {@link StreamJob#define} wires it, on the hashmap state
 *       backend;
 *   <li><b>RocksDB</b>: the same on RocksDB, the job's default (incremental checkpoints every 1 s,
 *       bloom filters, timers on the heap);
 *   <li><b>RocksDB untuned</b>: the same with {@link #UNTUNED}: Flink's own RocksDB defaults, the
 *       job's defaults before the benchmark showed what the two settings save.
 * </ol>
 *
 * Each uses {@link StreamJob#flinkConfiguration} (the job's own Flink settings) on a local
 * MiniCluster with parallelism 2, a {@link KeyedStageBench generated source} and a counting,
 * discarding sink instead of Adestra. The time measured runs from the first record generated to
 * the last record reaching a sink (for the keyed stage: the last list operation, which the end of
 * input flushes out of its window); start-up is not in it. Input records = identities + events.
 *
 * <p>The test fails unless every (contact, list) ends with the action the generator expects (the
 * latest event per user and cohort) in both keyed runs, and nothing was rejected.
 *
 * <pre>
 * mvn -B -ntp -o -pl jobs -am test -Dsurefire.excludedGroups=none -Dgroups=benchmark \
 *     -Dtest=StreamThroughputBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Knobs: {@code -Dbench.users=200000}, {@code -Dbench.events=5000000}, {@code -Dbench.parallelism=2},
 * {@code -Dbench.rounds=1}, {@code -Dbench.window=1000} (ms),
 * {@code -Dbench.backends=parse,hashmap,rocksdb,rocksdb-untuned} (a run may add settings of its own:
 * {@code rocksdb{KEY=VALUE+KEY=VALUE}}),
 * {@code -Dbench.flink.KEY=VALUE} (extra {@code flink:} settings, e.g. RocksDB options).
 */
@Tag("benchmark")
class StreamThroughputBenchmarkTest {
    private static final int USERS = Integer.getInteger("bench.users", 200_000);
    private static final long EVENTS = Long.getLong("bench.events", 5_000_000L);
    private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 1);
    private static final int WINDOW_MS = Integer.getInteger("bench.window", 1000);
    private static final List<String> RUNS = List.of(System.getProperty("bench.backends", "parse,hashmap,rocksdb,rocksdb-untuned").split(","));

    /**
     * RocksDB without the two settings the job sets because they cut the keyed stage's CPU the
     * most in a profile: bloom filters (a read no longer searches every small L0 file that the 1 s
     * checkpoints flush) and processing-time timers on the heap (the diff's window timers no
     * longer go through RocksDB).
     */
    static final String UNTUNED = "rocksdb{state.backend.rocksdb.use-bloom-filter=false"
            + "+state.backend.rocksdb.timer-service.factory=ROCKSDB+state.backend.rocksdb.compression.per.level=SNAPPY_COMPRESSION}";

    @TempDir
    Path dir;

    private record Result(String run, double seconds, long cpuNanos, long ops, String load) {
        double rate() {
            return (USERS + EVENTS) / seconds;
        }

        double cpuRate() {
            return (USERS + EVENTS) / (cpuNanos / 1e9);
        }
    }

    @Test
    void keyedStageThroughput() throws Exception {
        long t = System.nanoTime();
        byte[] expected = KeyedStageBench.expectedFinal(USERS, EVENTS);
        long expectedAdds = KeyedStageBench.count(expected, 1);
        long expectedRemoves = KeyedStageBench.count(expected, 2);
        MirrorConfig config = KeyedStageBench.config(dir, WINDOW_MS);
        log("streaming keyed stage benchmark: %,d users (%,d with a contact ID), %,d identity + %,d event records,"
                        + " %d activated cohorts; window %d ms; parallelism %d; %d cores available",
                USERS, USERS - USERS / 100, USERS, EVENTS, KeyedStageBench.COHORTS, WINDOW_MS, PARALLELISM,
                Runtime.getRuntime().availableProcessors());
        log("expected final (contact, list) actions: %,d ADD, %,d REMOVE (computed in %.2f s)", expectedAdds,
                expectedRemoves, (System.nanoTime() - t) / 1e9);
        log("Flink settings (StreamJob.flinkConfiguration + state.backend.type per run): %s",
                KeyedStageBench.flink(config, null, PARALLELISM).toMap());
        log("JVM: %s, max heap %d MB", System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);

        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            for (String run : RUNS) {
                Result r = run(config, run, round, expected);
                results.add(r);
                log("round %d %-8s %7.2f s  %,10.0f records/s  %6.1f s CPU  %,d operations  (load before: %s)", round,
                        run, r.seconds, r.rate(), r.cpuNanos / 1e9, r.ops, r.load);
            }
        }

        log("");
        // On a shared machine the wall-clock rate depends on the neighbours; records per CPU second
        // of this process (all its threads, RocksDB's too; start-up included) much less so.
        log("| round | run | seconds | records/s | of parse-only | CPU s | records per CPU s | of parse-only |");
        log("|---|---|---|---|---|---|---|---|");
        for (int round = 1; round <= ROUNDS; round++) {
            Result parse = find(results, round, "parse");
            for (String run : RUNS) {
                Result r = find(results, round, run);
                log("| %d | %s | %.2f | %,.0f | %s | %.1f | %,.0f | %s |", round, run, r.seconds, r.rate(),
                        parse == null ? "-" : String.format("%.0f%%", 100 * r.rate() / parse.rate()), r.cpuNanos / 1e9,
                        r.cpuRate(), parse == null ? "-" : String.format("%.0f%%", 100 * r.cpuRate() / parse.cpuRate()));
            }
        }
    }

    private static Result find(List<Result> results, int round, String run) {
        int i = 0;
        for (Result r : results) {
            if (r.run.equals(run) && ++i == round) {
                return r;
            }
        }
        return null;
    }

    private Result run(MirrorConfig config, String run, int round, byte[] expected) throws Exception {
        String id = run + "-" + round;
        // A run is "parse", "hashmap" or "rocksdb", optionally with settings of its own:
        // rocksdb{state.backend.rocksdb.use-bloom-filter=true+...}
        String spec = run.equals("rocksdb-untuned") ? UNTUNED : run;
        String backend = spec.contains("{") ? spec.substring(0, spec.indexOf('{')) : spec;
        boolean keyed = !backend.equals("parse");
        Configuration conf = KeyedStageBench.flink(config, keyed ? backend : null, PARALLELISM);
        if (spec.contains("{")) {
            for (String kv : spec.substring(spec.indexOf('{') + 1, spec.lastIndexOf('}')).split("\\+")) {
                conf.setString(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        conf.setString("execution.checkpointing.dir", dir.resolve("checkpoints-" + id).toUri().toString());
        if (keyed) {
            KeyedStageBench.track(id, USERS);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        KeyedStageBench.Lines lines = new KeyedStageBench.Lines(USERS);
        DataStream<NumberedLine> ids = KeyedStageBench.source(env, id, "identities", lines, USERS, true);
        DataStream<NumberedLine> events = KeyedStageBench.source(env, id, "events", lines, EVENTS, false);
        if (keyed) {
            KeyedStageBench.keyedStage(env, config, id, ids, events);
        } else {
            KeyedStageBench.parseOnly(env, config, id, ids, events);
        }
        String load = KeyedStageBench.loadAverage();
        long cpu = KeyedStageBench.cpuNanos();
        env.execute("stream benchmark " + id);
        cpu = KeyedStageBench.cpuNanos() - cpu;

        KeyedStageBench.Stats stats = KeyedStageBench.stats(id);
        assertThat(KeyedStageBench.stats(id + "/rejects").records.get()).as("rejected records").isZero();
        if (keyed) {
            assertThat(KeyedStageBench.compare(expected, stats.finalActions)).as(run + ": final action per (contact, list)")
                    .isEmpty();
            assertThat(stats.records.get()).isGreaterThanOrEqualTo(KeyedStageBench.count(expected, 1)
                    + KeyedStageBench.count(expected, 2));
        } else {
            assertThat(stats.records.get()).as("parsed records").isEqualTo(USERS + EVENTS);
        }
        return new Result(run, stats.seconds(), cpu, keyed ? stats.records.get() : 0, load);
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}

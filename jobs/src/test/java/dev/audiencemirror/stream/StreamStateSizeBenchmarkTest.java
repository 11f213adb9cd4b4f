package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes of keyed state per user on RocksDB, for {@code bench.stateUsers} users (default 1 million)
 * in all 5 activated cohorts each: every user has one identity record (99% with a contact ID) and
 * one SegmentEntry per cohort. The keyed stage ({@link KeyedStageBench#keyedStage}, the job's wiring
 * and Flink settings, RocksDB) runs until every (contact, list) has had its ADD sent and its window
 * closed; then two savepoints are taken of the running job:
 *
 * <ul>
 *   <li><b>canonical</b>: every key/value written once in Flink's own format (what a full
 *       snapshot holds: compacted by construction, not compressed);
 *   <li><b>native</b>: RocksDB's own SST files as they are on disk (compressed as RocksDB is
 *       configured; may hold not-yet-compacted versions).
 * </ul>
 *
 * Sizes are read per operator uid from the savepoint's {@code _metadata}. Run:
 *
 * <pre>
 * mvn -B -ntp -o -pl jobs -am test -Dsurefire.excludedGroups=none -Dgroups=benchmark \
 *     -Dtest=StreamStateSizeBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Knobs: {@code -Dbench.stateUsers=1000000}, {@code -Dbench.parallelism=2}, {@code -Dbench.flink.KEY=VALUE}.
 */
@Tag("benchmark")
class StreamStateSizeBenchmarkTest {
    private static final int USERS = Integer.getInteger("bench.stateUsers", 1_000_000);
    private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);
    private static final List<String> UIDS = List.of("user-membership", "net-list-diff");

    @TempDir
    Path dir;

    /** Blank lines, one a second, never ending: keeps the job running (the parsers ignore them). */
    private static final class Trickle implements GeneratorFunction<Long, NumberedLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public NumberedLine map(Long i) {
            return new NumberedLine("trickle", i + 1, new byte[0]);
        }
    }

    private static DataStream<NumberedLine> endless(StreamExecutionEnvironment env, String name) {
        return env.fromSource(new DataGeneratorSource<>(new Trickle(), Long.MAX_VALUE, RateLimiterStrategy.perSecond(1),
                        TypeInformation.of(NumberedLine.class)), WatermarkStrategy.noWatermarks(), name)
                .uid(name).setParallelism(1);
    }

    @Test
    void stateBytesPerUser() throws Exception {
        long events = (long) USERS * KeyedStageBench.COHORTS;
        long withContact = USERS - USERS / 100;
        long expectedOps = withContact * KeyedStageBench.COHORTS;
        MirrorConfig config = KeyedStageBench.config(dir, 1000);
        Configuration conf = KeyedStageBench.flink(config, "rocksdb", PARALLELISM);
        log("state size benchmark: %,d users (%,d with a contact ID), %,d events (every user enters all %d cohorts);"
                + " parallelism %d; settings %s", USERS, withContact, events, KeyedStageBench.COHORTS, PARALLELISM, conf.toMap());

        String run = "state";
        KeyedStageBench.track(run, USERS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        KeyedStageBench.Lines lines = new KeyedStageBench.Lines(USERS, true);
        DataStream<NumberedLine> ids = KeyedStageBench.source(env, run, "identities", lines, USERS, true)
                .union(endless(env, "identities-trickle"));
        DataStream<NumberedLine> evs = KeyedStageBench.source(env, run, "events", lines, events, false)
                .union(endless(env, "events-trickle"));
        KeyedStageBench.keyedStage(env, config, run, ids, evs);

        KeyedStageBench.Stats stats = KeyedStageBench.stats(run);
        long start = System.nanoTime();
        JobClient job = env.executeAsync("stream state size");
        try {
            while (stats.records.get() < expectedOps) {
                Thread.sleep(200);
                assertThat(System.nanoTime() - start).as("time to send every ADD").isLessThan(1_800_000_000_000L);
                assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job still running").isFalse();
            }
            log("all %,d ADDs sent after %.1f s (%,.0f input records/s)", stats.records.get(),
                    (System.nanoTime() - start) / 1e9, (USERS + events) / stats.seconds());
            Thread.sleep(3_000); // every window closed (1 s), its timer gone
            assertThat(stats.records.get()).as("one ADD per (contact, list), nothing else").isEqualTo(expectedOps);
            assertThat(stats.removes.get()).isZero();

            log("");
            log("| savepoint format | operator uid | bytes | bytes per user |");
            log("|---|---|---|---|");
            for (SavepointFormatType format : List.of(SavepointFormatType.CANONICAL, SavepointFormatType.NATIVE)) {
                String path = job.triggerSavepoint(dir.resolve("savepoint-" + format).toUri().toString(), format).get();
                Map<String, Long> sizes = sizes(path);
                long total = 0;
                for (var e : sizes.entrySet()) {
                    total += e.getValue();
                    log("| %s | %s | %,d | %.1f |", format.name().toLowerCase(), e.getKey(), e.getValue(),
                            (double) e.getValue() / USERS);
                }
                long files = KeyedStageBench.sizeOf(Path.of(java.net.URI.create(path)));
                log("| %s | all operators (files on disk: %,d bytes) | %,d | **%.1f** |", format.name().toLowerCase(),
                        files, total, (double) total / USERS);
            }
        } finally {
            job.cancel().get();
        }
    }

    /** State size per operator uid, from the savepoint's metadata. */
    private static Map<String, Long> sizes(String savepoint) throws Exception {
        Path metadata = Path.of(java.net.URI.create(savepoint)).resolve("_metadata");
        CheckpointMetadata m;
        try (InputStream in = Files.newInputStream(metadata)) {
            m = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    StreamStateSizeBenchmarkTest.class.getClassLoader(), savepoint);
        }
        Map<OperatorID, String> byId = new LinkedHashMap<>();
        for (String uid : UIDS) {
            byId.put(new OperatorID(Hashing.murmur3_128(0).newHasher().putString(uid, StandardCharsets.UTF_8)
                    .hash().asBytes()), uid);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        UIDS.forEach(uid -> out.put(uid, 0L));
        long others = 0;
        for (OperatorState s : m.getOperatorStates()) {
            String uid = s.getOperatorUid().orElse(byId.get(s.getOperatorID()));
            if (uid != null && out.containsKey(uid)) {
                out.merge(uid, s.getStateSize(), Long::sum);
            } else {
                others += s.getStateSize();
            }
        }
        out.put("others (sources, sink)", others);
        return out;
    }

    private static void log(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}

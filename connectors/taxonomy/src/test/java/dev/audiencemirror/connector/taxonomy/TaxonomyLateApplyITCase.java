package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that applies batches late: segments are created, updated and deleted over and over
 * while the sandbox holds 10% of requests {@value #HOLD_MS} ms before they take effect, past the
 * writer's {@value #TIMEOUT_MS} ms timeout, so the writer has sent newer operations of the same
 * codes when the held batch lands. The request log must show such batches (the injection
 * happened), and once every held request has landed the import must hold exactly what each code's
 * newest operation says: the settle re-sends repaired every late apply.
 *
 * <p>{@code -Dlateapply.seeds=N} runs N seeds (default 1); {@code -Dlateapply.settleMs=0} turns the
 * re-send off, and then the import ends wrong for most seeds.
 */
class TaxonomyLateApplyITCase {

    private static final String IMPORT = "3b0a9c5e-1f2d-4e6a-8b7c-9d0e1f2a3b4c";
    private static final int CODES = 12;
    private static final int COUNT = 120;
    private static final int PER_SECOND = 40;
    private static final int MAX_ATTEMPTS = 3;
    private static final long TIMEOUT_MS = 500;
    private static final long HOLD_MS = 1_500;
    private static final long SETTLE_MS = Long.getLong("lateapply.settleMs", 2_000);
    private static final TypeInformation<TaxonomyOperation> OPS = TypeInformation.of(TaxonomyOperation.class);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().imports(IMPORT).build();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("lateapply.seeds", 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lateBatchesAfterANewerOneAreRepairedByTheSettleReSend(long seed) throws Exception {
        // A held batch lands only if the whole batch still fits the import (published contract), and
        // its own retry has usually applied it by then: Creates get 409, Deletes 404. Batches of
        // Updates land, so Updates dominate here; and when the holds of one run happen to hit only
        // batches that are refused, the run is repeated with other holds: every run must end exact,
        // and one of them must have had a late apply.
        SegmentOperations.Random gen = new SegmentOperations.Random(seed, CODES, 20, 65);
        List<String> late = List.of();
        JobExecutionResult result = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && late.isEmpty(); attempt++) {
            if (attempt > 0) {
                SANDBOX.reset(); // an empty import and log again
            }
            SANDBOX.setFaults(FaultConfig.builder().holdRate(0.15).holdMs(HOLD_MS).latencyMs(5).latencyJitterMs(10)
                    .seed(seed + 1_000L * attempt).build());
            result = run(StreamExecutionEnvironment.getExecutionEnvironment(TestEnvironments.noKryo()), gen, TIMEOUT_MS,
                    s -> s);
            Thread.sleep(HOLD_MS + 500); // every held request has landed, re-sent or not
            late = appliedAfterANewerBatch();
            assertThat(imported()).as("seed %d, attempt %d: %d late applies", seed, attempt, late.size())
                    .isEqualTo(SegmentOperations.expected(List.of(), gen.first(COUNT)));
        }
        assertThat(late).as("seed %d: the sandbox applied older operations after newer ones (in %d runs)", seed,
                MAX_ATTEMPTS).isNotEmpty();
        long resent = resent(result);
        assertThat(resent).as("seed %d: re-sends", seed).isPositive();
        System.out.printf("taxonomy late-apply seed %d: %d operations, %d PATCH and %d page calls, %d late applies,"
                + " %d re-sent (%d per 10,000 operations)%n", seed, COUNT, calls(Endpoint.TAXONOMY_PATCH_SEGMENTS),
                calls(Endpoint.TAXONOMY_LIST_SEGMENTS), late.size(), resent, resent * 10_000 / COUNT);
    }

    /**
     * Item 3 of issue 29 for this sink: the job fails while the sandbox holds batches open; they
     * land after the restored writer has sent newer operations of their codes. The restored
     * writer's fence repairs them.
     */
    @Test
    @Disabled("Issue 29, open: in about 1 run of 5 the restored writer stops sending (write() waits on a full"
            + " buffer for good) while batches are held across the failover; run it by hand to reproduce")
    void batchesHeldOpenAcrossAFailoverCannotUndoTheRestoredWritersNewerChanges() throws Exception {
        SegmentOperations.Random gen = new SegmentOperations.Random(7, CODES, 20, 65); // see above: held Updates land
        // Whether a batch open across the failure still fits the import when it lands depends on
        // timing; a run where none did is repeated with other holds, and every run must end exact.
        List<LogEntry> openAcross = List.of();
        for (int attempt = 0; attempt < MAX_ATTEMPTS && openAcross.isEmpty(); attempt++) {
            if (attempt > 0) {
                SANDBOX.reset();
            }
            SANDBOX.setFaults(FaultConfig.builder().holdRate(0.3).holdMs(HOLD_MS).latencyMs(5).seed(7L + 1_000L * attempt)
                    .build());
            long failedAt = failOnceWhileHeld(gen);
            openAcross = SANDBOX.client().log(0).stream()
                    .filter(e -> e.applied() && e.arrivedMs() < failedAt && e.timeMs() > failedAt + 200).toList();
            assertThat(imported()).as("attempt %d", attempt).isEqualTo(SegmentOperations.expected(List.of(), gen.first(COUNT)));
            System.out.printf("taxonomy failover, attempt %d: %d batches open across it applied after it; held: %s%n",
                    attempt, openAcross.size(), SANDBOX.client().log(0).stream()
                            .filter(e -> e.note() != null && e.note().startsWith("held"))
                            .map(e -> (e.arrivedMs() - failedAt) + ".." + (e.timeMs() - failedAt)
                                    + (e.applied() ? " applied" : " " + e.status())).toList());
        }
        assertThat(openAcross).as("batches held open across the failover landed after it (in %d runs)", MAX_ATTEMPTS)
                .isNotEmpty();
        assertThat(appliedAfterANewerBatch()).as("late applies").isNotEmpty();
    }

    /** Runs the job, which fails once two thirds in while batches are held; returns when it failed. */
    private static long failOnceWhileHeld(SegmentOperations.Random gen) throws Exception {
        FailOnceAfterCheckpoint.arm(COUNT * 2 / 3);
        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(1, Duration.ofMillis(200));
        JobExecutionResult result = run(env, gen, TIMEOUT_MS,
                s -> s.map(new FailOnceAfterCheckpoint<TaxonomyOperation>(TaxonomyOperation::version)));
        Thread.sleep(HOLD_MS + 500);
        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        System.out.printf("taxonomy failover: %d re-sent by the writers%n", resent(result));
        return FailOnceAfterCheckpoint.failedAtMillis();
    }

    @Test
    void aHealthyApiCostsNoReSends() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(5).latencyJitterMs(10).build());
        SegmentOperations.Random gen = new SegmentOperations.Random(99, CODES);

        // A timeout no healthy answer comes near on a loaded machine: no call is of unknown fate.
        JobExecutionResult result = run(StreamExecutionEnvironment.getExecutionEnvironment(TestEnvironments.noKryo()),
                gen, 5_000, s -> s);

        assertThat(imported()).isEqualTo(SegmentOperations.expected(List.of(), gen.first(COUNT)));
        assertThat(resent(result)).isZero();
        System.out.printf("taxonomy healthy: %d operations, %d PATCH calls, 0 re-sent%n", COUNT,
                calls(Endpoint.TAXONOMY_PATCH_SEGMENTS));
    }

    private static JobExecutionResult run(StreamExecutionEnvironment env, SegmentOperations.Random gen, long timeoutMs,
            UnaryOperator<DataStream<TaxonomyOperation>> between) throws Exception {
        env.setParallelism(1);
        between.apply(env.fromSource(new DataGeneratorSource<>(gen, COUNT, RateLimiterStrategy.perSecond(PER_SECOND), OPS),
                        WatermarkStrategy.noWatermarks(), "operations"))
                .sinkTo(TaxonomySink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(SecretRef.notSecret(SANDBOX.permutiveKey(), "the sandbox's key"))
                        .importId(IMPORT)
                        // Small batches: each code is changed again while one is held, and a held batch
                        // of two rows often still fits the import when it lands (it is all or nothing).
                        .batchSize(2)
                        .linger(Duration.ofMillis(50))
                        .requestTimeout(Duration.ofMillis(timeoutMs))
                        .settleDelay(Duration.ofMillis(SETTLE_MS == 0 ? 0 : Math.max(SETTLE_MS, timeoutMs))) // at least the timeout
                        .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20))
                                .maxBackoff(Duration.ofMillis(200)).untilSuccess().build())
                        .preflight(false) // a held preflight would time out; the preflight is not under test
                        .deadLetterSink(new CollectingSink<>())
                        .build())
                .setParallelism(1)
                .uid("taxonomy-sink");
        return env.execute("taxonomy late applies");
    }

    /**
     * Rows of held batches that took effect after a batch that arrived later (so was sent later)
     * had set the same code differently: an older operation applied after a newer one.
     */
    private static List<String> appliedAfterANewerBatch() {
        List<LogEntry> patches = SANDBOX.client().log(0).stream()
                .filter(e -> e.applied() && e.endpoint().equals(Endpoint.TAXONOMY_PATCH_SEGMENTS.label()))
                .toList();
        List<String> late = new ArrayList<>();
        for (int i = 0; i < patches.size(); i++) {
            LogEntry held = patches.get(i);
            if (held.note() == null || !held.note().startsWith("held") || held.rows() == null) {
                continue;
            }
            Map<String, String> effects = effects(held);
            for (LogEntry earlier : patches.subList(0, i)) {
                if (earlier.arrivedMs() <= held.arrivedMs() || earlier.rows() == null) {
                    continue;
                }
                effects(earlier).forEach((code, effect) -> {
                    String old = effects.get(code);
                    if (old != null && !old.equals(effect)) {
                        late.add(code + ": '" + old + "' landed after '" + effect + "'");
                    }
                });
            }
        }
        return late;
    }

    /** Code → what a logged batch left it as: its name, or absent. */
    private static Map<String, String> effects(LogEntry e) {
        Map<String, String> out = new HashMap<>();
        for (String row : e.rows()) {
            String[] parts = row.split(" ", 3);
            out.put(parts[1], parts[0].equals("Delete") ? "(absent)" : parts[2]);
        }
        return out;
    }

    private static java.util.SortedMap<String, dev.audiencemirror.sandbox.taxonomy.Segment> imported() {
        return SANDBOX.client().importDefinitions(IMPORT);
    }

    private static long calls(Endpoint endpoint) {
        return SANDBOX.client().log(0).stream().filter(e -> e.endpoint().equals(endpoint.label())).count();
    }

    private static long resent(JobExecutionResult result) {
        // Per writer attempt (a failover opens a second one), summed.
        return METRICS.findJobMetricGroups(result.getJobID(), TaxonomySink.OPERATIONS_RESENT_AFTER_UNCERTAIN).stream()
                .map(found -> found.f2)
                .filter(m -> m instanceof Counter)
                .mapToLong(m -> ((Counter) m).getCount()).sum();
    }
}

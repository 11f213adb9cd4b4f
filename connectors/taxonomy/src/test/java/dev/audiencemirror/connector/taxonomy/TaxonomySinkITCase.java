package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.MountedSecret;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink in real jobs on a MiniCluster against the sandbox, with faults, bad rows and failures. */
class TaxonomySinkITCase {

    static final String IMPORT = "ede8970a-e828-5481-99ed-e3c07a3fc9f0";
    private static final TypeInformation<TaxonomyOperation> OPS = TypeInformation.of(TaxonomyOperation.class);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().imports(IMPORT).taxonomyReadingOfThisRun().build();

    static TaxonomySinkBuilder sink() {
        return TaxonomySink.builder()
                .baseUrl(URI.create(SANDBOX.baseUrl()))
                .apiKey(SecretRef.notSecret(SANDBOX.permutiveKey(), "the sandbox\'s key"))
                .importId(IMPORT)
                // No request is held here: a short timeout and settle delay keep re-sends after 503s and restores quick.
                .requestTimeout(Duration.ofSeconds(3))
                .settleDelay(Duration.ofSeconds(3))
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(20)
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofSeconds(1))
                        .maxRetryTime(Duration.ofMinutes(2))
                        .build());
    }

    static DataStream<TaxonomyOperation> generated(StreamExecutionEnvironment env,
            GeneratorFunction<Long, TaxonomyOperation> gen, long count) {
        return env.fromSource(new DataGeneratorSource<>(gen, count, OPS), WatermarkStrategy.noWatermarks(), "operations");
    }

    static SortedMap<String, Segment> imported() {
        return SANDBOX.client().importDefinitions(IMPORT);
    }

    static long patches() {
        return SANDBOX.client().stats().requests(Endpoint.TAXONOMY_PATCH_SEGMENTS);
    }

    static <M extends Metric> M metric(JobExecutionResult result, String name, Class<M> type) {
        Map<String, Metric> found = METRICS.findMetrics(result.getJobID(), name);
        assertThat(found).as("metric " + name).hasSize(1);
        return type.cast(found.values().iterator().next());
    }

    @Test
    void aHundredThousandMirrorOperationsGoInAtMostTwentyFullBatchesAndTheImportEndsExact() throws Exception {
        long seed = 7;
        int initial = 20_000;
        int n = 100_000;
        List<Segment> start = SegmentOperations.initial(seed, initial);
        SANDBOX.client().putImport(IMPORT, start);
        SortedMap<String, Segment> expected = SegmentOperations.expected(start, SegmentOperations.mirror(seed, initial, 60_000, n));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        generated(env, new SegmentOperations.Mirror(seed, initial, 60_000, n), n)
                .sinkTo(sink().linger(Duration.ofSeconds(5)).deadLetterSink(deadLetters).build());
        JobExecutionResult result = env.execute("100k mirror operations");

        assertThat(imported()).isEqualTo(expected);
        assertThat(deadLetters.received()).isEmpty();
        SandboxStats stats = SANDBOX.client().stats();
        long batches = stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS);
        assertThat(batches).isBetween(1L, 20L);
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 400)).as("a batch over 5,000 is a 400").isZero();
        assertThat(stats.sameCodeInBatchCount()).isZero();
        // Every row is planned against the codes read from the import: none fails, none is converted.
        assertThat(metric(result, "rowsConverted", Counter.class).getCount()).isZero();
        assertThat(stats.segmentRowsFailed()).isZero();
        assertThat(metric(result, "importCodeReads", Counter.class).getCount()).as("the import's codes, read once").isEqualTo(1);
        assertThat(stats.requests(Endpoint.TAXONOMY_LIST_SEGMENTS)).as("page by page").isBetween((long) initial / 1000, (long) initial / 10 + 1);
        assertThat(metric(result, "batchesSent", Counter.class).getCount()).isEqualTo(batches);
        Histogram perBatch = metric(result, "operationsPerBatch", Histogram.class);
        assertThat(perBatch.getStatistics().getMax()).isLessThanOrEqualTo(5_000);
        assertThat(perBatch.getCount()).isEqualTo(batches);
    }

    @Test
    void threeMalformedRowsAmongFiveThousandAreDeadLetteredAndTheRestApplied() throws Exception {
        List<TaxonomyOperation> ops = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ops.add(TaxonomyOperation.create(SegmentOperations.definition(1, SegmentOperations.code(i), 1), 1));
        }
        ops.set(17, TaxonomyOperation.create(new SegmentDefinition(SegmentOperations.code(17), " ", null, null, null), 1));
        ops.set(2_500, TaxonomyOperation.create(new SegmentDefinition(SegmentOperations.code(2_500), "Negative", null, -1.0, null), 1));
        ops.set(4_999, TaxonomyOperation.create(new SegmentDefinition(SegmentOperations.code(4_999), "NaN", null, Double.NaN, null), 1));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, OPS).sinkTo(sink().deadLetterSink(deadLetters).build());
        env.execute("malformed rows");

        assertThat(deadLetters.received())
                .extracting(DeadLetter::key, DeadLetter::status)
                .containsExactlyInAnyOrder(
                        tuple("import=ede8970a-e828-5481-99ed-e3c07a3fc9f0 code=seg-000017", 400),
                        tuple("import=ede8970a-e828-5481-99ed-e3c07a3fc9f0 code=seg-002500", 400),
                        tuple("import=ede8970a-e828-5481-99ed-e3c07a3fc9f0 code=seg-004999", 400));
        assertThat(deadLetters.received()).allSatisfy(d -> {
            assertThat(d.destination()).isEqualTo("taxonomy");
            assertThat(d.reason()).isNotBlank();
            assertThat(d.operation()).contains("\"operation\":\"Create\"").contains("\"import\":\"ede8970a-e828-5481-99ed-e3c07a3fc9f0\"");
        });
        List<TaxonomyOperation> good = new ArrayList<>(ops);
        good.remove(4_999);
        good.remove(2_500);
        good.remove(17);
        assertThat(imported()).hasSize(4_997).isEqualTo(SegmentOperations.expected(List.of(), good));
        SandboxStats stats = SANDBOX.client().stats();
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 400)).as("each bad row isolated").isGreaterThanOrEqualTo(3);
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 200)).isPositive();
    }

    @Test
    void anImportEditedByHandIsReadFirstCreateOfAHeldCodeGoesAsUpdateAndNothingIsSentForAMissingDelete() throws Exception {
        SANDBOX.client().putImport(IMPORT, List.of(
                new Segment("sports", "Old sports", "old description", 1.0, List.of("old")),
                new Segment("news", "News", null, null, null)));
        SegmentDefinition sports = new SegmentDefinition("sports", "Sports fans", null, 2.5, null);
        SegmentDefinition autos = new SegmentDefinition("autos", "Car buyers", "in market", null, List.of("autos"));
        List<TaxonomyOperation> ops = List.of(
                TaxonomyOperation.create(sports, 1), // exists: 409 → Update
                TaxonomyOperation.delete("never-there", 2), // missing: 404 → done
                TaxonomyOperation.update(autos, 3), // missing: 404 → Create (upsert)
                TaxonomyOperation.delete("news", 4));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, OPS).sinkTo(sink().deadLetterSink(deadLetters).build());
        JobExecutionResult result = env.execute("409 and 404 rows");

        assertThat(imported()).containsOnlyKeys("sports", "autos")
                .containsEntry("sports", new Segment("sports", "Sports fans", null, 2.5, null))
                .containsEntry("autos", new Segment("autos", "Car buyers", "in market", null, List.of("autos")));
        assertThat(deadLetters.received()).isEmpty();
        SandboxStats stats = SANDBOX.client().stats();
        assertThat(stats.applied(SandboxStats.SEGMENT_UPDATED)).isEqualTo(1);
        assertThat(stats.applied(SandboxStats.SEGMENT_CREATED)).isEqualTo(1);
        assertThat(stats.applied(SandboxStats.SEGMENT_DELETED)).isEqualTo(1);
        assertThat(stats.segmentRowsFailed()).as("every row planned against the codes read").isZero();
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS)).isEqualTo(1);
        assertThat(metric(result, "rowsConverted", Counter.class).getCount()).isZero();
        assertThat(metric(result, "deletesAlreadyAbsent", Counter.class).getCount()).isEqualTo(1);
    }

    @Test
    void injected429And503OnAFifthOfRequestsLeaveTheImportExact() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder()
                .rate429(0.10).rate503(0.10)
                .failAfterApplyRate(0.5) // some 503s come after the batch took effect: re-sending must be harmless
                .retryAfterSeconds(0) // Retry-After honoured is covered on its own; keep this test short
                .seed(42L)
                .build());
        SegmentOperations.Random gen = new SegmentOperations.Random(3, 3_000);
        int n = 20_000;
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        generated(env, gen, n).sinkTo(sink().batchSize(250).deadLetterSink(deadLetters).build());
        env.execute("faults");

        assertThat(imported()).isEqualTo(SegmentOperations.expected(List.of(), gen.first(n)));
        assertThat(deadLetters.received()).isEmpty();
        SandboxStats stats = SANDBOX.client().stats();
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 429) + stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 503))
                .as("faults were injected").isGreaterThan(3);
        assertThat(stats.sameCodeInBatchCount()).isZero();
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().failNext(1).failNextStatus(429).retryAfterSeconds(1).seed(1L).build());
        List<TaxonomyOperation> ops = List.of(TaxonomyOperation.create(new SegmentDefinition("a", "A", null, null, null), 1));

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, OPS).sinkTo(sink().preflight(false).deadLetterSink(new CollectingSink<>()).build());
        env.execute("retry-after");

        assertThat(imported()).containsOnlyKeys("a");
        // The first call (the read of the import's codes) is throttled; the next waits Retry-After.
        List<LogEntry> calls = SANDBOX.client().log(0).stream()
                .filter(e -> e.endpoint().equals(Endpoint.TAXONOMY_PATCH_SEGMENTS.label())
                        || e.endpoint().equals(Endpoint.TAXONOMY_LIST_SEGMENTS.label()))
                .toList();
        assertThat(calls).extracting(LogEntry::status).containsExactly(429, 200, 200);
        assertThat(calls.get(1).timeMs() - calls.get(0).timeMs()).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void anImportThatCannotBeReadFailsTheRunAfterTheRetryLimitSendingNothing() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().failNext(100).failNextStatus(503).seed(1L).build());
        List<TaxonomyOperation> ops = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ops.add(TaxonomyOperation.create(SegmentOperations.definition(1, SegmentOperations.code(i), 1), 1));
        }
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, OPS).sinkTo(sink().preflight(false)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10)).build())
                .deadLetterSink(deadLetters).build());
        Throwable failure = catchThrowable(() -> env.execute("give up"));

        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("gave up reading the segments of import ede8970a-e828-5481-99ed-e3c07a3fc9f0 after 3 attempts");
        assertThat(deadLetters.received()).isEmpty();
        assertThat(imported()).isEmpty();
        assertThat(patches()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 23, 37})
    void aJobThatFailsMidwayAndRestartsFromItsCheckpointEndsExact(long seed) throws Exception {
        // Latency keeps batches in flight across checkpoints, so restores have operations to re-send.
        SANDBOX.setFaults(FaultConfig.builder().rate503(0.05).dropRate(0.02).failAfterApplyRate(0.5)
                .latencyMs(20).retryAfterSeconds(0).seed(seed).build());
        int count = 8_000;
        SegmentOperations.Random gen = new SegmentOperations.Random(seed, 1_500);
        long failAt = 2_000 + new java.util.SplittableRandom(seed).nextInt(4_000);
        FailOnceAfterCheckpoint.arm(failAt);

        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(1, Duration.ofMillis(150));
        env.fromSource(new DataGeneratorSource<>(gen, count, RateLimiterStrategy.perSecond(4_000), OPS),
                        WatermarkStrategy.noWatermarks(), "operations")
                .map(new FailOnceAfterCheckpoint<TaxonomyOperation>(op -> op.version()))
                .sinkTo(sink().batchSize(1_000).linger(Duration.ofMillis(200)).deadLetterSink(new CollectingSink<>()).build());
        env.execute("failover seed " + seed);

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        assertThat(imported()).isEqualTo(SegmentOperations.expected(List.of(), gen.first(count)));
        assertThat(SANDBOX.client().stats().sameCodeInBatchCount()).isZero();
    }

    @Test
    void anInvalidKeyFailsTheJobAtStartWithoutPrintingTheKey(@TempDir Path dir) {
        MountedSecret wrong = MountedSecret.create(dir, "permutive-api-key", "wrong-key-123");
        String messages = failureOf(sink().apiKey(wrong.ref()));

        assertThat(messages).contains("Permutive rejected the API key (HTTP 401)")
                .contains("file " + wrong.file())
                .contains("is invalid")
                .doesNotContain("wrong-key-123");
        assertThat(patches()).isZero();
    }

    @Test
    void aReadOnlyKeyFailsTheJobAtItsFirstBatchSayingWriteAccessMustBeAskedFor() {
        String messages = failureOf(sink().apiKey(SecretRef.notSecret(SANDBOX.permutiveReadOnlyKey(), "the sandbox\'s key")));

        assertThat(messages).contains("lacks write access to import ede8970a-e828-5481-99ed-e3c07a3fc9f0 (HTTP 403) while writing")
                .contains("ask Permutive for write access to the Taxonomy API for this key")
                .doesNotContain(SANDBOX.permutiveReadOnlyKey());
        SandboxStats stats = SANDBOX.client().stats();
        assertThat(stats.requests(Endpoint.TAXONOMY_GET_IMPORT, 200)).as("a read-only key may read").isEqualTo(1);
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS)).as("the first batch, and once more with the key read again")
                .isEqualTo(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 403)).isEqualTo(2);
        assertThat(imported()).isEmpty();
    }

    @Test
    void aKeyRefusedWhileWritingFailsTheJobClearly() {
        // No preflight: the first batch meets the read-only key.
        String messages = failureOf(sink().preflight(false)
                .apiKey(SecretRef.notSecret(SANDBOX.permutiveReadOnlyKey(), "the sandbox\'s key")));

        assertThat(messages).contains("lacks write access to import ede8970a-e828-5481-99ed-e3c07a3fc9f0 (HTTP 403) while writing")
                .doesNotContain(SANDBOX.permutiveReadOnlyKey());
        assertThat(imported()).isEmpty();
    }

    @Test
    void anUnknownImportFailsTheJobAtStartNamingItAndAnIdThatIsNoUuidSaysSo() {
        String missing = "0b5f2c1e-7a4d-4e0b-9f5e-3c2d1a0b9e8f";
        String messages = failureOf(sink().importId(missing));

        assertThat(messages).contains("Permutive import " + missing + " not found (HTTP 404)");
        assertThat(SANDBOX.client().imports()).doesNotContain(missing);
        assertThat(patches()).isZero();

        if (SandboxExtension.rowErrorsRun()) {
            return; // the earlier reading took any import ID
        }
        assertThat(failureOf(sink().importId("no-such-import")))
                .contains("Permutive refused import ID no-such-import (HTTP 400: Invalid value for: path parameter importId)")
                .contains("import IDs are UUIDs");
    }

    @Test
    void aSinkWithParallelismAboveOneFailsAtStartSayingWhy() {
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(List.of(TaxonomyOperation.delete("a", 1)), OPS)
                .sinkTo(sink().deadLetterSink(new CollectingSink<>()).build()).setParallelism(2);

        Throwable failure = catchThrowable(() -> env.execute("parallel"));

        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("must run with parallelism 1").contains("setParallelism(1)");
        assertThat(patches()).isZero();
    }

    private static String failureOf(TaxonomySinkBuilder builder) {
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(List.of(TaxonomyOperation.create(new SegmentDefinition("a", "A", null, null, null), 1)), OPS)
                .sinkTo(builder.deadLetterSink(new CollectingSink<>()).build());
        Throwable failure = catchThrowable(() -> env.execute("preflight"));
        assertThat(failure).isNotNull();
        return ExceptionUtils.stringifyException(failure);
    }
}

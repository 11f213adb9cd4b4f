package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throughput and batch fill: 100,000 mirror-mode operations against the sandbox, no faults,
 * default sink settings (batches of 5,000, linger 1 s). Left out of {@code verify}; run with
 * {@code mvn -B -ntp -o -pl connectors/taxonomy verify -Dsurefire.excludedGroups=none -Dgroups=benchmark}.
 */
@Tag("benchmark")
class TaxonomySinkBenchmarkITCase {

    private static final String IMPORT = "bench";
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().imports(IMPORT).build();

    @Test
    void hundredThousandOperations() throws Exception {
        run(1, 20_000, false); // warm-up: JIT, connections
        SANDBOX.reset();
        run(2, 100_000, true);
    }

    private void run(long seed, int n, boolean report) throws Exception {
        int initial = n / 5;
        int codes = n * 3 / 5;
        List<Segment> start = SegmentOperations.initial(seed, initial);
        SANDBOX.client().putImport(IMPORT, start);
        SortedMap<String, Segment> expected = SegmentOperations.expected(start, SegmentOperations.mirror(seed, initial, codes, n));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromSource(new DataGeneratorSource<>(new SegmentOperations.Mirror(seed, initial, codes, n), n,
                                TypeInformation.of(TaxonomyOperation.class)),
                        WatermarkStrategy.noWatermarks(), "operations")
                .sinkTo(TaxonomySink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(SecretRef.notSecret(SANDBOX.permutiveKey(), "the sandbox\'s key"))
                        .importId(IMPORT)
                        .deadLetterSink(deadLetters)
                        .build());
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("taxonomy benchmark " + n);
        double wallSeconds = (System.nanoTime() - t0) / 1e9;

        assertThat(SANDBOX.client().importDefinitions(IMPORT)).isEqualTo(expected);
        assertThat(deadLetters.received()).isEmpty();
        assertThat(SANDBOX.client().stats().sameCodeInBatchCount()).isZero();
        if (!report) {
            return;
        }
        Histogram perBatch = metric(result, "operationsPerBatch", Histogram.class);
        long[] sizes = perBatch.getStatistics().getValues().clone();
        Arrays.sort(sizes);
        long batches = sizes.length;
        assertThat(batches).isEqualTo(metric(result, "batchesSent", Counter.class).getCount());
        long rowsSent = Arrays.stream(sizes).sum();
        long full = Arrays.stream(sizes).filter(s -> s == TaxonomySinkConfig.MAX_BATCH_SIZE).count();
        double meanFill = (double) rowsSent / batches / TaxonomySinkConfig.MAX_BATCH_SIZE;
        double meanFillButLast = batches > 1
                ? (double) (rowsSent - sizes[0]) / (batches - 1) / TaxonomySinkConfig.MAX_BATCH_SIZE : meanFill;
        List<LogEntry> patches = SANDBOX.client().log(0).stream()
                .filter(e -> e.endpoint().equals(Endpoint.TAXONOMY_PATCH_SEGMENTS.label())).toList();
        long requests = patches.size();
        double sendingSeconds = (patches.get(patches.size() - 1).timeMs() - patches.get(0).timeMs()) / 1e3;
        System.out.printf("""
                        TAXONOMY SINK BENCHMARK: %,d operations (mirror mode, %,d codes, import starting with %,d segments)
                          rows sent after collapsing : %,d
                          PATCH requests             : %,d (%,d batches + 1 preflight empty batch)
                          batch sizes                : %s
                          full batches (5,000)       : %,d of %,d
                          mean fill, all batches     : %.2f%%
                          mean fill, all but the last: %.2f%%
                          job wall time              : %.2f s -> %,.0f operations/s
                          first to last PATCH        : %.2f s -> %,.0f operations/s
                          request latency (ms)       : mean %.0f, max %d
                        %n""", n, codes, initial, rowsSent, requests, batches,
                Arrays.toString(sizes), full, batches, 100 * meanFill, 100 * meanFillButLast, wallSeconds,
                n / wallSeconds, sendingSeconds, n / Math.max(sendingSeconds, 1e-3),
                metric(result, "requestLatencyMillis", Histogram.class).getStatistics().getMean(),
                metric(result, "requestLatencyMillis", Histogram.class).getStatistics().getMax());
        assertThat(requests - 1).isEqualTo(batches).isLessThanOrEqualTo(20);
        assertThat(meanFillButLast).isGreaterThanOrEqualTo(0.99);
    }

    private static <M extends Metric> M metric(JobExecutionResult result, String name, Class<M> type) {
        Map<String, Metric> found = METRICS.findMetrics(result.getJobID(), name);
        assertThat(found).as("metric " + name).hasSize(1);
        return type.cast(found.values().iterator().next());
    }
}

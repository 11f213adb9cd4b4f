package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.RotatingSecret;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.MountedSecret;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Permutive key rotated while the writer sends, in its mounted file and at the sandbox: the
 * writer takes up the new key after the first refusal, without a restart, and the import ends
 * exact. The job may restart from its checkpoints (a rotation handled by restarting would end
 * exact too): the test asserts that it did not.
 */
class TaxonomyKeyRotationITCase {
    private static final String IMPORT = "bc2e2bc1-1429-5b3f-949c-b7e23fd51f83";
    private static final String NEW_KEY = "permutive-key-2";
    private static final TypeInformation<TaxonomyOperation> OPS = TypeInformation.of(TaxonomyOperation.class);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().imports(IMPORT).taxonomyReadingOfThisRun().build();

    @Test
    void aKeyRevokedMidStreamIsReadAgainFromItsFileAfterThe401AndTheJobGoesOnWithoutARestart(@TempDir Path dir)
            throws Exception {
        MountedSecret key = MountedSecret.create(dir, "permutive-api-key", SANDBOX.permutiveKey());
        int count = 4_000;
        SegmentOperations.Random gen = new SegmentOperations.Random(7, 600);
        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(1, Duration.ofMillis(200));
        env.fromSource(new DataGeneratorSource<>(gen, count, RateLimiterStrategy.perSecond(1_000), OPS),
                        WatermarkStrategy.noWatermarks(), "operations")
                .sinkTo(TaxonomySink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(key.ref())
                        // Never checked on a timer here: only a refusal makes the writer read the file again.
                        .apiKeyCheckInterval(Duration.ofHours(1))
                        .importId(IMPORT)
                        .batchSize(100)
                        .linger(Duration.ofMillis(50))
                        .requestTimeout(Duration.ofSeconds(2))
                        .settleDelay(Duration.ofSeconds(2)) // the restore's fence re-sends one settle delay later
                        .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20)).untilSuccess().build())
                        .deadLetterSink(new CollectingSink<>())
                        .build());
        JobClient job = env.executeAsync("taxonomy key rotation");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (SANDBOX.client().stats().requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 200) < 5) {
            assertThat(System.nanoTime()).as("some batches applied in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        key.update(NEW_KEY);
        SANDBOX.server().acceptPermutiveKeys(NEW_KEY);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertThat(SANDBOX.client().importDefinitions(IMPORT)).isEqualTo(SegmentOperations.expected(List.of(), gen.first(count)));
        assertThat(SANDBOX.client().stats().requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 401)).as("the revoked key").isPositive();
        assertThat(gauges(job.getJobID(), "numRestarts")).containsOnly(0L);
        assertThat(gauges(job.getJobID(), RotatingSecret.CHANGES)).containsExactly(1L);
        assertThat(gauges(job.getJobID(), RotatingSecret.FINGERPRINT)).containsExactly(Secret.of(NEW_KEY, "t").fingerprint());
        assertThat(metrics(job.getJobID(), RotatingSecret.REJECTIONS).values()).singleElement()
                .satisfies(c -> assertThat(((Counter) c).getCount()).isEqualTo(1));
    }

    private static List<Long> gauges(JobID job, String name) {
        return metrics(job, name).values().stream().filter(m -> m instanceof Gauge<?>)
                .map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue()).toList();
    }

    private static Map<String, Metric> metrics(JobID job, String name) {
        return METRICS.findMetrics(job, ".*\\." + java.util.regex.Pattern.quote(name) + "$");
    }
}

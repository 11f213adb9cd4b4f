package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.RotatingSecret;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.MountedSecret;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * The API key rotated while the sink sends, in its mounted file and at the sandbox: the senders
 * take up the new key without a restart and the lists end exact. The job may restart (from its
 * checkpoints), so that a rotation handled by restarting would still end exact: the tests assert
 * that it did not restart.
 */
class AdestraKeyRotationITCase {
    private static final long[] LISTS = {678, 679, 680};
    private static final int OPERATIONS = 3000;
    private static final String NEW_KEY = "adestra-key-2";

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(LISTS).build();

    private static JobClient start(MountedSecret key, Duration checkInterval, ListOperationGenerator gen) throws Exception {
        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(2, Duration.ofMillis(200));
        env.fromSource(new DataGeneratorSource<>(gen, OPERATIONS, RateLimiterStrategy.perSecond(600),
                                TypeInformation.of(ListOperation.class)), WatermarkStrategy.noWatermarks(), "operations")
                .setParallelism(1)
                .sinkTo(AdestraSink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(key.ref())
                        .apiKeyCheckInterval(checkInterval)
                        .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20)).untilSuccess().build())
                        .expectedLists(java.util.Set.of(678L))
                        .deadLetterSink(new CollectingSink<>())
                        .build())
                .uid("adestra-sink");
        return env.executeAsync("adestra key rotation");
    }

    @Test
    void aKeyRevokedMidStreamIsReadAgainFromItsFileAfterThe401AndTheJobGoesOnWithoutARestart(@TempDir Path dir)
            throws Exception {
        MountedSecret key = MountedSecret.create(dir, "adestra-api-key", SANDBOX.adestraKey());
        ListOperationGenerator gen = new ListOperationGenerator(5, 400, LISTS);
        // The file is never checked on a timer here: only a refusal makes a sender read it again.
        JobClient job = start(key, Duration.ofHours(1), gen);

        await("a third of the operations sent", () -> sent() >= OPERATIONS / 3);
        key.update(NEW_KEY);
        SANDBOX.server().acceptAdestraKeys(NEW_KEY);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(OPERATIONS));
        assertThat(SANDBOX.client().stats().requestsWithStatus(401)).as("requests with the revoked key").isPositive();
        assertThat(numRestarts(job.getJobID())).isZero();
        assertThat(gauges(job.getJobID(), RotatingSecret.CHANGES)).as("per sender").containsOnly(1L).hasSize(2);
        assertThat(gauges(job.getJobID(), RotatingSecret.FINGERPRINT)).containsOnly(Secret.of(NEW_KEY, "t").fingerprint());
        assertThat(counters(job.getJobID(), RotatingSecret.REJECTIONS)).isEqualTo(
                SANDBOX.client().stats().requestsWithStatus(401));
    }

    @Test
    void aKeyFileUpdatedMidStreamIsTakenUpByItsCheckWhileBothKeysAreValid(@TempDir Path dir) throws Exception {
        String oldKey = SANDBOX.adestraKey();
        MountedSecret key = MountedSecret.create(dir, "adestra-api-key", oldKey);
        ListOperationGenerator gen = new ListOperationGenerator(6, 400, LISTS);
        JobClient job = start(key, Duration.ofMillis(200), gen);

        // The procedure for an API that lets two keys work at once: issue the new key, update the
        // Secret, wait until every sender's fingerprint shows the new key, then revoke the old one.
        await("a third of the operations sent", () -> sent() >= OPERATIONS / 3);
        SANDBOX.server().acceptAdestraKeys(oldKey, NEW_KEY);
        key.update(NEW_KEY);
        long fingerprint = Secret.of(NEW_KEY, "t").fingerprint();
        await("both senders on the new key", () -> {
            List<Long> in = gauges(job.getJobID(), RotatingSecret.FINGERPRINT);
            return in.size() == 2 && in.stream().allMatch(f -> f == fingerprint);
        });
        SANDBOX.server().acceptAdestraKeys(NEW_KEY);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(OPERATIONS));
        assertThat(SANDBOX.client().stats().requestsWithStatus(401)).as("no request met a revoked key").isZero();
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(NEW_KEY)).as("requests with the new key").isPositive();
        assertThat(numRestarts(job.getJobID())).isZero();
        assertThat(gauges(job.getJobID(), RotatingSecret.CHANGES)).containsOnly(1L).hasSize(2);
    }

    private static long sent() {
        SandboxStats stats = SANDBOX.client().stats();
        return stats.requests(Endpoint.ADESTRA_ADD) + stats.requests(Endpoint.ADESTRA_REMOVE);
    }

    static long numRestarts(JobID job) {
        return gauges(job, "numRestarts").stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** The values of every gauge of the job whose name ends with {@code name}. */
    static List<Long> gauges(JobID job, String name) {
        return metrics(job, name).values().stream().filter(m -> m instanceof Gauge<?>)
                .map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue()).toList();
    }

    static long counters(JobID job, String name) {
        return metrics(job, name).values().stream().filter(m -> m instanceof Counter)
                .mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    private static Map<String, Metric> metrics(JobID job, String name) {
        return METRICS.findMetrics(job, ".*\\." + java.util.regex.Pattern.quote(name) + "$");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}

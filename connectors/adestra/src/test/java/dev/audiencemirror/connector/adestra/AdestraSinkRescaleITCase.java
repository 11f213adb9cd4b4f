package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rescaling without a drain, as the Kubernetes operator's autoscaler does: a slow sandbox (40 ms a
 * call, 4 connections) builds a backlog, a savepoint is taken while operations are pending
 * ({@code stop} without {@code --drain}), the job is restored at a higher parallelism, stopped the
 * same way again, and restored at a lower one until the input ends. The lists must end exact,
 * operations must have been restored on both restores, and in the sandbox's request log no
 * (contact, list) may have an operation applied after one with a higher version.
 */
class AdestraSinkRescaleITCase {

    private static final long[] LISTS = {678, 679, 680};
    private static final int COUNT = 2_400;
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(LISTS).logCapacity(200_000).build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 17, 29})
    void restoredUpAndDownFromSavepointsTakenWithOperationsPendingKeepsThePerKeyOrder(long seed) throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(40).latencyJitterMs(20).rate503(0.03).retryAfterSeconds(0)
                .seed(seed).build());
        ListOperationGenerator gen = new ListOperationGenerator(seed, 80, LISTS);

        String first = runUntilStopped(gen, 2, null, Duration.ofMillis(1_800));
        String second = runUntilStopped(gen, 4, first, Duration.ofMillis(1_500));
        JobClient last = start(gen, 1, second);
        last.getJobExecutionResult().get();

        assertThat(SANDBOX.client().contactsByList(LISTS)).as("seed %d", seed).isEqualTo(gen.expectedLists(COUNT));
        assertThat(restored(last.getJobID())).as("operations restored at parallelism 1 (seed %d)", seed).isPositive();
        assertNoKeyAppliedOutOfOrder(seed);
    }

    private String runUntilStopped(ListOperationGenerator gen, int parallelism, String restoreFrom, Duration after)
            throws Exception {
        JobClient job = start(gen, parallelism, restoreFrom);
        Thread.sleep(after.toMillis());
        String savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        job.getJobExecutionResult().get();
        if (restoreFrom != null) {
            assertThat(restored(job.getJobID())).as("operations restored at parallelism %d", parallelism).isPositive();
        }
        return savepoint;
    }

    private JobClient start(ListOperationGenerator gen, int parallelism, String restoreFrom) throws Exception {
        Configuration conf = TestEnvironments.noKryo();
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(200);
        env.setParallelism(parallelism);
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        env.fromSource(new DataGeneratorSource<>(gen, COUNT, RateLimiterStrategy.perSecond(600),
                                TypeInformation.of(ListOperation.class)),
                        WatermarkStrategy.noWatermarks(), "operations")
                .uid("operations")
                .setParallelism(1)
                .sinkTo(AdestraSink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(SecretRef.notSecret(SANDBOX.adestraKey(), "the sandbox\'s key"))
                        .maxConcurrency(4)
                        .requestTimeout(Duration.ofSeconds(2))
                        .settleDelay(Duration.ofSeconds(2)) // the sandbox holds no request here: a short settle keeps the test short
                        .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20))
                                .maxBackoff(Duration.ofMillis(500)).untilSuccess().build())
                        .expectedLists(Set.of(678L))
                        .deadLetterSink(deadLetters)
                        .build())
                .name("adestra")
                .uid("adestra-sink");
        return env.executeAsync("rescale p=" + parallelism);
    }

    /** Operations restored from state over all subtasks of the sender, for the job. */
    private static long restored(JobID job) {
        return METRICS.findMetrics(job, "operationsRestored").values().stream()
                .mapToLong(m -> ((Number) ((Gauge<?>) m).getValue()).longValue())
                .sum();
    }

    private static void assertNoKeyAppliedOutOfOrder(long seed) {
        Map<String, Long> newestApplied = new HashMap<>();
        List<String> violations = new ArrayList<>();
        int applied = 0;
        for (LogEntry e : SANDBOX.client().log(0)) {
            if (!e.applied() || !e.path().startsWith("/contacts/")) {
                continue;
            }
            applied++;
            assertThat(e.operationVersion()).as("version header on %s", e.path()).isNotNull();
            Long before = newestApplied.get(e.path());
            if (before != null && e.operationVersion() < before) {
                violations.add(e.path() + ": version " + e.operationVersion() + " applied after " + before);
            }
            newestApplied.merge(e.path(), e.operationVersion(), Math::max);
        }
        assertThat(applied).isGreaterThan(100);
        assertThat(violations).as("seed %d: keys with an older operation applied after a newer one", seed).isEmpty();
    }
}

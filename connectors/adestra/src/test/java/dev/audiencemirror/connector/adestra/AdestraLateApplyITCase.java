package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
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
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that applies requests late: users toggle their membership of one list while the
 * sandbox holds 10% of requests {@value #HOLD_MS} ms before they take effect, well past the
 * client's {@value #TIMEOUT_MS} ms timeout, so the sender has moved on to newer operations of the
 * same (contact, list) when the held one lands. The request log must show such late applies (the
 * injection happened), and once the job has ended and every held request has landed the list must
 * be exactly what each key's newest operation says: the settle re-send repaired every late apply.
 *
 * <p>{@code -Dlateapply.seeds=N} runs N seeds (default 1); {@code -Dlateapply.settleMs=0} turns
 * the re-send off, and then the list ends wrong (checked by hand).
 */
class AdestraLateApplyITCase {

    private static final long LIST = 678;
    private static final int USERS = 60;
    private static final int COUNT = 240;
    private static final long TIMEOUT_MS = 1_000;
    private static final long HOLD_MS = 3_000;
    private static final long SETTLE_MS = Long.getLong("lateapply.settleMs", 4_000);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(LIST).build();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("lateapply.seeds", 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lateAppliesAfterANewerOperationAreRepairedByTheSettleReSend(long seed) throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().holdRate(0.1).holdMs(HOLD_MS).latencyMs(5).latencyJitterMs(10)
                .seed(seed).build());
        ListOperationGenerator gen = new ListOperationGenerator(seed, USERS, LIST);

        JobExecutionResult result = run(gen);
        Thread.sleep(HOLD_MS + 500); // every held request has landed, re-sent or not

        List<String> late = appliedAfterANewerOperation();
        assertThat(late).as("seed %d: the sandbox applied older operations after newer ones", seed).isNotEmpty();
        assertThat(SANDBOX.client().contactsByList(LIST)).as("seed %d: %d late applies", seed, late.size())
                .isEqualTo(gen.expectedLists(COUNT));
        long resent = resent(result);
        assertThat(resent).as("seed %d: re-sends", seed).isPositive();
        System.out.printf("late-apply seed %d: %d operations, %d calls, %d late applies, %d re-sent (%d per 10,000"
                + " operations)%n", seed, COUNT, calls(), late.size(), resent, resent * 10_000 / COUNT);
    }

    /**
     * Item 3 of issue 29 for this sink: the job fails while the sandbox holds calls open; they land
     * after the restored job has sent newer operations of their keys. The fence repairs them.
     */
    @Test
    void callsHeldOpenAcrossAFailoverCannotUndoTheRestoredJobsNewerChanges() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().holdRate(0.2).holdMs(HOLD_MS).latencyMs(5).seed(7L).build());
        ListOperationGenerator gen = new ListOperationGenerator(7, USERS, LIST);
        FailOnceAfterCheckpoint.arm(COUNT / 2);

        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(1, Duration.ofMillis(200));
        JobExecutionResult result = run(env, gen, s -> s.map(new FailOnceAfterCheckpoint<ListOperation>(ListOperation::version)));
        Thread.sleep(HOLD_MS + 500);

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        long failedAt = FailOnceAfterCheckpoint.failedAtMillis();
        List<LogEntry> openAcross = SANDBOX.client().log(0).stream()
                .filter(e -> e.applied() && e.arrivedMs() < failedAt && e.timeMs() > failedAt + 500).toList();
        assertThat(openAcross).as("calls held open across the failover landed after it").isNotEmpty();
        assertThat(appliedAfterANewerOperation()).as("late applies").isNotEmpty();
        assertThat(SANDBOX.client().contactsByList(LIST)).isEqualTo(gen.expectedLists(COUNT));
        System.out.printf("failover: %d calls open across it, %d re-sent%n", openAcross.size(), resent(result));
    }

    @Test
    void aHealthyApiCostsNoReSends() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(5).latencyJitterMs(10).build());
        ListOperationGenerator gen = new ListOperationGenerator(99, USERS, LIST);

        JobExecutionResult result = run(gen);

        assertThat(SANDBOX.client().contactsByList(LIST)).isEqualTo(gen.expectedLists(COUNT));
        assertThat(resent(result)).isZero();
        System.out.printf("healthy: %d operations, %d calls, 0 re-sent%n", COUNT, calls());
    }

    private static JobExecutionResult run(ListOperationGenerator gen) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(TestEnvironments.noKryo());
        env.setParallelism(1);
        return run(env, gen, s -> s);
    }

    private static JobExecutionResult run(StreamExecutionEnvironment env, ListOperationGenerator gen,
            UnaryOperator<DataStream<ListOperation>> between) throws Exception {
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        between.apply(env.fromSource(new DataGeneratorSource<>(gen, COUNT, RateLimiterStrategy.perSecond(60),
                                TypeInformation.of(ListOperation.class)),
                        WatermarkStrategy.noWatermarks(), "operations"))
                .sinkTo(AdestraSink.builder()
                        .baseUrl(URI.create(SANDBOX.baseUrl()))
                        .apiKey(SecretRef.notSecret(SANDBOX.adestraKey(), "the sandbox's key"))
                        .maxConcurrency(4)
                        .requestTimeout(Duration.ofMillis(TIMEOUT_MS))
                        .settleDelay(Duration.ofMillis(SETTLE_MS))
                        .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20))
                                .maxBackoff(Duration.ofMillis(200)).untilSuccess().build())
                        .preflight(false) // a held preflight would time out; the preflight is not under test
                        .deadLetterSink(deadLetters)
                        .build())
                .uid("adestra-sink");
        return env.execute("late applies");
    }

    /** Keys' applies whose version is lower than one applied before them on the same key. */
    private static List<String> appliedAfterANewerOperation() {
        Map<String, Long> newestApplied = new HashMap<>();
        List<String> late = new ArrayList<>();
        for (LogEntry e : SANDBOX.client().log(0)) {
            if (!e.applied() || !e.path().startsWith("/contacts/")) {
                continue;
            }
            Long before = newestApplied.get(e.path());
            if (before != null && e.operationVersion() < before) {
                late.add(e.path() + ": version " + e.operationVersion() + " applied after " + before
                        + " (" + e.note() + ")");
            }
            newestApplied.merge(e.path(), e.operationVersion(), Math::max);
        }
        return late;
    }

    private static long calls() {
        return SANDBOX.client().log(0).stream().filter(e -> e.path().startsWith("/contacts/")).count();
    }

    private static long resent(JobExecutionResult result) {
        Long n = result.getAccumulatorResult(
                SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.OPERATIONS_RESENT_AFTER_UNCERTAIN));
        return n == null ? 0 : n;
    }
}

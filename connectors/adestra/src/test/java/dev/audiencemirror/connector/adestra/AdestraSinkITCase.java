package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.MountedSecret;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink in real jobs on a MiniCluster against the sandbox, with faults and failures. */
class AdestraSinkITCase {

    private static final long[] LISTS = {678, 679, 680, 681, 682};

    private static final org.apache.flink.runtime.testutils.InMemoryReporter METRICS =
            org.apache.flink.runtime.testutils.InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(LISTS).build();

    private static AdestraSinkBuilder sink() {
        return AdestraSink.builder()
                .baseUrl(URI.create(SANDBOX.baseUrl()))
                .apiKey(SecretRef.notSecret(SANDBOX.adestraKey(), "the sandbox\'s key"))
                .requestTimeout(Duration.ofSeconds(2))
                .settleDelay(Duration.ofSeconds(2)) // the sandbox holds no request here: a short settle keeps the test short
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(15)
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofSeconds(2))
                        .maxRetryTime(Duration.ofMinutes(2))
                        .build())
                .expectedLists(Set.of(678L, 679L));
    }

    @Test
    void randomOperationsUnderInjectedFaultsEndExactWithinTheConcurrencyLimit() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder()
                .rate429(0.034).rate500(0.033).rate503(0.033).dropRate(0.01)
                .retryAfterSeconds(0) // Retry-After honoured is covered separately; keep the test short
                .seed(42L)
                .build());
        ListOperationGenerator gen = new ListOperationGenerator(7, 500, LISTS);
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(2);
        env.fromData(gen.first(10_000), TypeInformation.of(ListOperation.class))
                .sinkTo(sink().deadLetterSink(deadLetters).build()).uid("adestra-sink");
        env.execute("random operations under faults");

        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(10_000));
        assertThat(deadLetters.received()).isEmpty();
        var stats = SANDBOX.client().stats();
        assertThat(stats.maxConcurrencySeen(SANDBOX.adestraKey())).isBetween(1, 10);
        assertThat(stats.requestsWithStatus(429) + stats.requestsWithStatus(500) + stats.requestsWithStatus(503))
                .as("faults were injected").isGreaterThan(100);
    }

    @Test
    void eachConfirmedOperationRecordsHowLongAfterItsEventItLanded() throws Exception {
        long eventTime = System.currentTimeMillis() - 5_000;
        List<ListOperation> ops = java.util.stream.LongStream.range(0, 50)
                .mapToObj(i -> new ListOperation(String.valueOf(7000 + i), 678, ListAction.ADD, eventTime, 1))
                .toList();
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, TypeInformation.of(ListOperation.class)).sinkTo(sink().deadLetterSink(new CollectingSink<>()).build()).uid("adestra-sink");
        var result = env.execute();

        var found = METRICS.findMetrics(result.getJobID(), "eventToAppliedMillis");
        assertThat(found).hasSize(1);
        var stats = ((org.apache.flink.metrics.Histogram) found.values().iterator().next()).getStatistics();
        assertThat(stats.size()).as("one value per confirmed operation").isEqualTo(50);
        assertThat(stats.getMin()).as("at least the 5 s since the event").isGreaterThanOrEqualTo(5_000);
        assertThat(stats.getMax()).isLessThan(5_000 + 60_000);
    }

    @Test
    void concurrencyBudgetIsSharedAcrossSubtasks() throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(15).seed(1L).build());
        ListOperationGenerator gen = new ListOperationGenerator(3, 300, LISTS);

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(3);
        env.fromData(gen.first(600), TypeInformation.of(ListOperation.class))
                .sinkTo(sink().maxConcurrency(4).deadLetterSink(new CollectingSink<>()).build()).uid("adestra-sink");
        env.execute("shared budget");

        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(600));
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey())).isBetween(2, 4);
    }

    @Test
    void aRetriedOlderOperationNeverLandsAfterANewerOne() throws Exception {
        // The ADD fails first (503); the REMOVE that follows must win.
        SANDBOX.setFaults(FaultConfig.builder().failNext(1).failNextStatus(503).latencyMs(30).seed(5L).build());
        List<ListOperation> ops = List.of(
                new ListOperation("4242", 678, ListAction.ADD, 1L, 1),
                new ListOperation("4242", 678, ListAction.REMOVE, 2L, 2));

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        // No lists to check at start, so the first request the sandbox sees (and fails) is the ADD.
        env.fromData(ops, TypeInformation.of(ListOperation.class))
                .sinkTo(sink().expectedLists(Set.of()).deadLetterSink(new CollectingSink<>()).build())
                .uid("adestra-sink");
        env.execute("ordering");

        assertThat(SANDBOX.client().listContacts(678)).doesNotContain(4242L);
        List<LogEntry> applied = SANDBOX.client().log(0).stream()
                .filter(e -> e.path().equals("/contacts/4242/lists/678") && e.applied())
                .toList();
        assertThat(applied).isNotEmpty();
        assertThat(applied.get(applied.size() - 1).method()).isEqualTo("DELETE");
        assertThat(SANDBOX.client().log(0).stream().filter(e -> e.path().equals("/contacts/4242/lists/678")).findFirst())
                .get().extracting(LogEntry::status).isEqualTo(503);
    }

    @Test
    void refusedOperationsGoToTheDeadLetterOutputAndTheJobGoesOn() throws Exception {
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        List<ListOperation> ops = List.of(
                new ListOperation("1001", 999, ListAction.ADD, 1L, 1), // list not created: 404
                new ListOperation("not-a-number", 678, ListAction.ADD, 2L, 1), // bad contact: 400
                new ListOperation("1002", 678, ListAction.ADD, 3L, 1));

        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(ops, TypeInformation.of(ListOperation.class)).sinkTo(sink().deadLetterSink(deadLetters).build()).uid("adestra-sink");
        env.execute("dead letters");

        assertThat(SANDBOX.client().listContacts(678)).containsExactly(1002L);
        assertThat(SANDBOX.client().lists()).doesNotContain(999L);
        assertThat(deadLetters.received())
                .extracting(DeadLetter::key, DeadLetter::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("contact=1001 list=999", 404),
                        org.assertj.core.groups.Tuple.tuple("contact=not-a-number list=678", 400));
        DeadLetter notFound = deadLetters.received().stream().filter(d -> d.status() == 404).findFirst().orElseThrow();
        assertThat(notFound.reason()).containsIgnoringCase("list not found");
        assertThat(notFound.operation()).contains("\"action\":\"ADD\"").contains("\"list_id\":999");
        assertThat(notFound.destination()).isEqualTo("adestra");
        assertThat(notFound.timeMillis()).isPositive();
    }

    @Test
    void anInvalidKeyFailsTheJobAtStartWithoutPrintingTheKey(@TempDir Path dir) {
        MountedSecret wrong = MountedSecret.create(dir, "adestra-api-key", "wrong-key-123");
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(List.of(new ListOperation("1", 678, ListAction.ADD, 1L, 1)), TypeInformation.of(ListOperation.class))
                .sinkTo(sink().apiKey(wrong.ref())
                        .deadLetterSink(new CollectingSink<>()).build()).uid("adestra-sink");

        Throwable failure = catchThrowable(() -> env.execute("bad key"));

        assertThat(failure).isNotNull();
        String messages = ExceptionUtils.stringifyException(failure);
        assertThat(messages).contains("Adestra rejected the API key (HTTP 401)")
                .contains("file " + wrong.file())
                .contains("invalid or lacks permission to manage contacts and lists")
                .contains("the IP address Audience Mirror calls from is not on the key's IP allow-list")
                .contains("the key has no access to the workspace that holds the lists")
                .doesNotContain("wrong-key-123");
        assertThat(SANDBOX.client().stats().requests(dev.audiencemirror.sandbox.Endpoint.ADESTRA_ADD)).isZero();
    }

    @Test
    void aMissingListFailsTheJobAtStartNamingIt() {
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(1);
        env.fromData(List.of(new ListOperation("1", 678, ListAction.ADD, 1L, 1)), TypeInformation.of(ListOperation.class))
                .sinkTo(sink().expectedLists(Set.of(678L, 12345L)).deadLetterSink(new CollectingSink<>()).build())
                .uid("adestra-sink");

        Throwable failure = catchThrowable(() -> env.execute("missing list"));

        assertThat(ExceptionUtils.stringifyException(failure)).contains("Adestra list 12345 does not exist");
        assertThat(SANDBOX.client().lists()).doesNotContain(12345L);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 23, 37})
    void aJobThatFailsMidwayAndRestartsFromItsCheckpointEndsExact(long seed) throws Exception {
        SANDBOX.setFaults(FaultConfig.builder().rate503(0.05).dropRate(0.01).retryAfterSeconds(0).seed(seed).build());
        int count = 4_000;
        ListOperationGenerator gen = new ListOperationGenerator(seed, 200, LISTS);
        // Somewhere in the middle: the source emits 800/s, the first checkpoint completes within ~1 s.
        long failAt = 1_200 + new java.util.SplittableRandom(seed).nextInt(2_000);
        FailOnceAfterCheckpoint.arm(failAt);

        StreamExecutionEnvironment env = TestEnvironments.restartingFromCheckpoints(2, Duration.ofMillis(150));
        env.fromSource(new DataGeneratorSource<>(gen, count, RateLimiterStrategy.perSecond(800),
                                TypeInformation.of(ListOperation.class)),
                        WatermarkStrategy.noWatermarks(), "operations")
                .setParallelism(1)
                .map(new FailOnceAfterCheckpoint<ListOperation>(op -> op.version()))
                .setParallelism(1)
                .sinkTo(sink().deadLetterSink(new CollectingSink<>()).build())
                .uid("adestra-sink");
        env.execute("failover seed " + seed);

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(count));
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey())).isLessThanOrEqualTo(10);
    }
}

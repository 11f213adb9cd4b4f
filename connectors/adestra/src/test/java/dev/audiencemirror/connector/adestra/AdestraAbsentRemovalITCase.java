package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.TestEnvironments;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink against a sandbox that answers a {@code DELETE} of a contact not on the list with 404, as
 * Adestra may: such a removal ends as a removal (no dead letter, no retry loop), counted as already
 * absent, while a removal on a list that does not exist still fails with the missing-list message.
 */
class AdestraAbsentRemovalITCase {

    private static final long[] LISTS = {678, 679, 680};

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(LISTS).adestraDeleteAbsent404(true).build();

    private static AdestraSinkBuilder sink() {
        return AdestraSink.builder()
                .baseUrl(URI.create(SANDBOX.baseUrl()))
                .apiKey(SecretRef.notSecret(SANDBOX.adestraKey(), "the sandbox's key"))
                .requestTimeout(Duration.ofSeconds(2))
                .settleDelay(Duration.ofSeconds(2)) // the sandbox holds no request here: a short settle keeps the test short
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(15)
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofSeconds(1))
                        .maxRetryTime(Duration.ofMinutes(2))
                        .build())
                .expectedLists(Set.of(678L, 679L));
    }

    private static ListOperation op(long contact, long list, ListAction action, long version) {
        return new ListOperation(Long.toString(contact), list, action, 1_000L, version);
    }

    private static JobExecutionResult run(List<ListOperation> ops, int parallelism, AdestraSink sink) throws Exception {
        StreamExecutionEnvironment env = TestEnvironments.withParallelism(parallelism);
        env.fromData(ops, TypeInformation.of(ListOperation.class)).sinkTo(sink).uid("adestra-sink");
        return env.execute("absent removals");
    }

    private static long alreadyAbsent(JobExecutionResult result) {
        Long n = result.getAccumulatorResult(SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.REMOVALS_ALREADY_ABSENT));
        return n == null ? 0 : n;
    }

    @Test
    void removalsOfContactsNotOnTheListEndAsRemovalsWithOneListCheckPerList() throws Exception {
        SANDBOX.client().putList(678, List.of(1L, 2L));
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        List<ListOperation> ops = List.of(
                op(1, 678, ListAction.REMOVE, 1), // a member: 204
                op(3, 678, ListAction.REMOVE, 1), // not members: 404, the list exists
                op(4, 678, ListAction.REMOVE, 1),
                op(5, 678, ListAction.REMOVE, 1),
                op(6, 678, ListAction.ADD, 1),
                op(7, 679, ListAction.REMOVE, 1));

        JobExecutionResult result = run(ops, 1, sink().deadLetterSink(deadLetters).build());

        assertThat(SANDBOX.client().contactsByList(LISTS)).containsEntry(678L, new java.util.TreeSet<>(List.of(2L, 6L)))
                .containsEntry(679L, new java.util.TreeSet<>());
        assertThat(deadLetters.received()).isEmpty();
        var stats = SANDBOX.client().stats();
        assertThat(stats.requests(Endpoint.ADESTRA_REMOVE, 404)).as("each absent contact's DELETE, once").isEqualTo(4);
        assertThat(alreadyAbsent(result)).isEqualTo(4);
        assertThat(result.<Long>getAccumulatorResult("adestra." + SinkMetrics.SUCCEEDED)).isEqualTo(ops.size());
        // The preflight's 2 reads, then one check per list whose removals met a 404 (remembered a minute).
        assertThat(stats.requests(Endpoint.ADESTRA_GET_LIST)).isEqualTo(2 + 2);
    }

    @Test
    void aRemovalOnAListThatDoesNotExistStillFailsWithTheMissingListMessage() throws Exception {
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        List<ListOperation> ops = List.of(
                op(1, 999, ListAction.REMOVE, 1),
                op(2, 999, ListAction.ADD, 1),
                op(3, 678, ListAction.REMOVE, 1));

        JobExecutionResult result = run(ops, 1, sink().expectedLists(Set.of(678L)).deadLetterSink(deadLetters).build());

        assertThat(deadLetters.received())
                .extracting(DeadLetter::key, DeadLetter::status)
                .containsExactlyInAnyOrder(tuple("contact=1 list=999", 404), tuple("contact=2 list=999", 404));
        // The removal's dead letter says what the add's says, as any 404 did before.
        assertThat(deadLetters.received()).extracting(DeadLetter::reason).allSatisfy(
                reason -> assertThat(reason).contains("list not found: 999").doesNotContain("attempts"));
        assertThat(alreadyAbsent(result)).as("the removal on list 678, which exists").isEqualTo(1);
        assertThat(SANDBOX.client().lists()).doesNotContain(999L);
    }

    @Test
    void randomOperationsUnderFaultsEndExactWhenRemovalsOfNonMembersAnswer404() throws Exception {
        // Failures after apply make retried DELETEs of contacts already removed meet a 404 too;
        // the list checks meet the same faults.
        SANDBOX.setFaults(FaultConfig.builder()
                .rate429(0.03).rate503(0.05).dropRate(0.01).failAfterApplyRate(0.5)
                .retryAfterSeconds(0)
                .seed(19L)
                .build());
        ListOperationGenerator gen = new ListOperationGenerator(19, 150, LISTS);
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        JobExecutionResult result = run(gen.first(3_000), 2, sink().deadLetterSink(deadLetters).build());

        assertThat(SANDBOX.client().contactsByList(LISTS)).isEqualTo(gen.expectedLists(3_000));
        assertThat(deadLetters.received()).isEmpty();
        var stats = SANDBOX.client().stats();
        assertThat(alreadyAbsent(result)).isPositive()
                .isLessThanOrEqualTo(stats.requests(Endpoint.ADESTRA_REMOVE, 404));
        assertThat(stats.requestsWithStatus(503)).as("faults were injected").isPositive();
        assertThat(stats.maxConcurrencySeen(SANDBOX.adestraKey())).isLessThanOrEqualTo(10);
    }
}

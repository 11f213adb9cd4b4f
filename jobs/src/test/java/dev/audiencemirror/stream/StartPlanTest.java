package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.kafka.CommittedOffsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** How a start of the streaming job begins, for every combination of what is asked and what is there. */
class StartPlanTest {
    private static final String DIR = "file:/state/checkpoints";
    private static final String CHK = DIR + "/0123456789abcdef0123456789abcdef/chk-7";
    private static final Map<String, CommittedOffsets.Topic> COMMITTED =
            new TreeMap<>(Map.of("identities", new CommittedOffsets.Topic(3, 1204), "events", new CommittedOffsets.Topic(3, 3388)));

    private static StartPlan.Asked kafka(boolean resume, boolean rebuild, String savepoint) {
        return new StartPlan.Asked("c.yaml", true, resume, rebuild,
                Optional.ofNullable(savepoint).map(p -> new StartPlan.Given(p, "--from-savepoint")));
    }

    private static StartPlan.Asked files(boolean resume, String savepoint) {
        return new StartPlan.Asked("c.yaml", false, resume, false,
                Optional.ofNullable(savepoint).map(p -> new StartPlan.Given(p, "--from-savepoint")));
    }

    private static StartPlan.Found found(String newest, Map<String, CommittedOffsets.Topic> committed) {
        return new StartPlan.Found(DIR, Optional.ofNullable(newest), "mirror", committed);
    }

    @Nested
    class KafkaMode {
        @Test
        void aPlainStartRestoresTheNewestCheckpointWhateverTheGroupCommitted() {
            StartPlan plan = StartPlan.decide(kafka(false, false, null), found(CHK, COMMITTED));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.RESTORE);
            assertThat(plan.restoreFrom()).contains(CHK);
            assertThat(plan.line()).startsWith("start: restoring from checkpoint " + CHK + ", the newest under " + DIR);
            assertThat(StartPlan.decide(kafka(true, false, null), found(CHK, Map.of())).restoreFrom()).contains(CHK);
        }

        @Test
        void withNeitherCheckpointNorCommittedOffsetsItIsAFirstStartFromTheEarliestOffset() {
            StartPlan plan = StartPlan.decide(kafka(false, false, null), found(null, Map.of()));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.FIRST_START);
            assertThat(plan.restoreFrom()).isEmpty();
            assertThat(plan.line()).isEqualTo("start: first start: no checkpoint under " + DIR
                    + " and no committed offsets for consumer group 'mirror'; reading every topic from its earliest offset");
        }

        @Test
        void committedOffsetsWithoutACheckpointAreRefusedSayingWhatWouldBeLostAndBothWaysOut() {
            for (boolean resume : new boolean[] {false, true}) {
                assertThatThrownBy(() -> StartPlan.decide(kafka(resume, false, null), found(null, COMMITTED)))
                        .isInstanceOfSatisfying(StartRefused.class, r -> assertThat(r.exitCode()).isEqualTo(Command.REFUSED))
                        .hasMessageContaining("consumer group 'mirror' has committed offsets (events: 3388 records before"
                                + " them in 3 partitions; identities: 1204 records before them in 3 partitions)")
                        .hasMessageContaining("no checkpoint under " + DIR + " holds the state")
                        .hasMessageContaining("from those 4592 records")
                        .hasMessageContaining("--from-savepoint PATH")
                        .hasMessageContaining("--rebuild-from-earliest reads every topic from its earliest offset")
                        .hasMessageContaining("retention");
            }
        }

        @Test
        void aRebuildIgnoresCheckpointsAndCommittedOffsetsOnPurpose() {
            StartPlan plan = StartPlan.decide(kafka(false, true, null), found(CHK, COMMITTED));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.REBUILD);
            assertThat(plan.restoreFrom()).isEmpty();
            assertThat(plan.line()).startsWith("start: rebuilding (--rebuild-from-earliest): empty state");
        }

        @Test
        void aSavepointGivenWinsOverTheDirectory() {
            StartPlan plan = StartPlan.decide(kafka(false, false, "s3://b/sp-1"), found(CHK, COMMITTED));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.RESTORE);
            assertThat(plan.restoreFrom()).contains("s3://b/sp-1");
            assertThat(plan.line()).startsWith("start: restoring from s3://b/sp-1 (--from-savepoint)");
        }

        @Test
        void withoutACheckpointDirectoryNothingCanBeKeptAcrossRestarts() {
            assertThatThrownBy(() -> StartPlan.decide(kafka(false, false, null),
                    new StartPlan.Found(null, Optional.empty(), "mirror", Map.of())))
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("Kafka mode needs flink: execution.checkpointing.dir in c.yaml");
        }

        @Test
        void twoWaysToStartAtOnceAreAUsageError() {
            assertThatThrownBy(() -> StartPlan.decide(kafka(true, true, null), found(CHK, Map.of())))
                    .isInstanceOf(UsageException.class).hasMessage("--rebuild-from-earliest and --resume both say where to start from; give one");
            assertThatThrownBy(() -> StartPlan.decide(kafka(false, true, "sp"), found(CHK, Map.of())))
                    .isInstanceOf(UsageException.class).hasMessage("--rebuild-from-earliest and --from-savepoint both say where to start from; give one");
            assertThatThrownBy(() -> StartPlan.decide(kafka(true, false, "sp"), found(CHK, Map.of())))
                    .isInstanceOf(UsageException.class).hasMessage("--resume and --from-savepoint both say where to start from; give one");
        }
    }

    @Nested
    class FileMode {
        @Test
        void aPlainStartReadsTheFoldersFromTheBeginningEvenWithACheckpoint() {
            StartPlan plan = StartPlan.decide(files(false, null), found(CHK, Map.of()));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.FROM_BEGINNING);
            assertThat(plan.restoreFrom()).isEmpty();
            assertThat(plan.line()).startsWith("start: reading the watched folders from the beginning");
        }

        @Test
        void resumeRestoresTheNewestCheckpointOrStartsFromTheBeginningWithoutOne() {
            StartPlan plan = StartPlan.decide(files(true, null), found(CHK, Map.of()));
            assertThat(plan.kind()).isEqualTo(StartPlan.Kind.RESTORE);
            assertThat(plan.restoreFrom()).contains(CHK);
            StartPlan none = StartPlan.decide(files(true, null), found(null, Map.of()));
            assertThat(none.kind()).isEqualTo(StartPlan.Kind.FROM_BEGINNING);
            assertThat(none.line()).isEqualTo("start: no completed checkpoint under " + DIR
                    + " yet (--resume); reading the watched folders from the beginning");
        }

        @Test
        void aRebuildIsForKafkaModeAndResumeNeedsADirectory() {
            assertThatThrownBy(() -> StartPlan.decide(new StartPlan.Asked("c.yaml", false, false, true, Optional.empty()),
                    found(null, Map.of()))).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--rebuild-from-earliest is for Kafka mode");
            assertThatThrownBy(() -> StartPlan.decide(files(true, null),
                    new StartPlan.Found(null, Optional.empty(), null, Map.of()))).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--resume needs flink: execution.checkpointing.dir in c.yaml");
        }
    }

    /** The stopped job's last line says what the next start does with what it kept, by the same rule. */
    @Test
    void theLineAfterAStopNamesTheCheckpointAndTheStartThatUsesIt() {
        assertThat(StartPlan.afterStop(true, DIR, Optional.of(CHK))).isEqualTo("stopped; checkpoint "
                + CHK.substring(CHK.lastIndexOf('/') + 1) + " kept (" + CHK + "); a plain start restores it");
        assertThat(StartPlan.afterStop(false, DIR, Optional.of(CHK))).endsWith(" kept (" + CHK + "); --resume starts from it"
                + " (a plain start reads the watched folders from the beginning)");
        assertThat(StartPlan.afterStop(true, DIR, Optional.empty()))
                .isEqualTo("stopped before its first checkpoint: nothing kept under " + DIR + "; a start begins as this one did");
        assertThat(StartPlan.afterStop(false, null, Optional.empty())).startsWith("stopped; no checkpoints are kept");
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.SyncMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The per-pair decision of the nightly diff, flag by flag and mode by mode: what is sent, and what
 * the new snapshot says the list holds afterwards.
 */
class ListDiffTest {
    private static final int T = PairFlags.TARGET;
    private static final int S = PairFlags.SYNCED;
    private static final int U = PairFlags.UNCERTAIN;
    private static final int H = PairFlags.HELD;

    /** What one pair gives: the plan lines' actions, whether the baseline has it, whether it stays uncertain. */
    record Outcome(List<String> sent, boolean onListAfter, boolean stillUncertain) {}

    private static Outcome diff(SyncMode mode, int flags) throws Exception {
        try (OneInputStreamOperatorTestHarness<PairFlags, String> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new ListDiff(mode, false))) {
            h.processElement(new PairFlags("42", 678, flags), 0);
            List<String> sent = new ArrayList<>();
            for (String line : h.extractOutputValues()) {
                sent.add(((PlannedOperation.ListOp) PlannedOperation.decode(line)).action().name());
            }
            boolean baseline = h.getSideOutput(ListDiff.BASELINE) != null && !h.getSideOutput(ListDiff.BASELINE).isEmpty();
            boolean unresolved = h.getSideOutput(ListDiff.UNRESOLVED) != null && !h.getSideOutput(ListDiff.UNRESOLVED).isEmpty();
            return new Outcome(sent, baseline, unresolved);
        }
    }

    @Test
    void knownPairsSendTheDifference() throws Exception {
        assertThat(diff(SyncMode.MIRROR, T)).isEqualTo(new Outcome(List.of("ADD"), true, false));
        assertThat(diff(SyncMode.MIRROR, T | S)).isEqualTo(new Outcome(List.of(), true, false));
        assertThat(diff(SyncMode.MIRROR, S)).isEqualTo(new Outcome(List.of("REMOVE"), false, false));
    }

    @Test
    void uncertainPairsGetTheirTargetStateWhateverTheSnapshotSays() throws Exception {
        assertThat(diff(SyncMode.MIRROR, T | S | U)).isEqualTo(new Outcome(List.of("ADD"), true, false));
        assertThat(diff(SyncMode.MIRROR, T | U)).isEqualTo(new Outcome(List.of("ADD"), true, false));
        assertThat(diff(SyncMode.MIRROR, S | U)).isEqualTo(new Outcome(List.of("REMOVE"), false, false));
        assertThat(diff(SyncMode.MIRROR, U)).as("a crashed push may have added it").isEqualTo(new Outcome(List.of("REMOVE"), false, false));
    }

    @Test
    void aModeThatCannotSendTheTargetRecordsWhatLetsALaterAllowedOperationGoOut() throws Exception {
        // add-only: an uncertain pair out of the target is recorded absent, so a later target sends an ADD.
        assertThat(diff(SyncMode.ADD, U)).isEqualTo(new Outcome(List.of(), false, false));
        // remove-only: an uncertain pair in the target is recorded present, so a later exit sends a REMOVE.
        assertThat(diff(SyncMode.REMOVE, T | U)).isEqualTo(new Outcome(List.of(), true, false));
        assertThat(diff(SyncMode.REMOVE, S)).isEqualTo(new Outcome(List.of("REMOVE"), false, false));
    }

    @Test
    void heldPairsAreNeitherAddedNorRemovedUnlessAnotherUserTargetsThem() throws Exception {
        assertThat(diff(SyncMode.MIRROR, S | H)).isEqualTo(new Outcome(List.of(), true, false));
        assertThat(diff(SyncMode.MIRROR, H)).isEqualTo(new Outcome(List.of(), false, false));
        assertThat(diff(SyncMode.MIRROR, T | H)).as("another user of the contact qualifies").isEqualTo(new Outcome(List.of("ADD"), true, false));
        assertThat(diff(SyncMode.MIRROR, S | U | H)).as("held and uncertain stays uncertain").isEqualTo(new Outcome(List.of(), true, true));
    }
}

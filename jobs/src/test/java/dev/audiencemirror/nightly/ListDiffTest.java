package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.files.TaggedLine;
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
    private static final int T = ContactFlags.TARGET;
    private static final int S = ContactFlags.SYNCED;
    private static final int U = ContactFlags.UNCERTAIN;
    private static final int H = ContactFlags.HELD;

    /** What one pair gives: the plan lines' actions, whether the baseline has it, whether it stays uncertain. */
    record Outcome(List<String> sent, boolean onListAfter, boolean stillUncertain) {}

    private static Outcome diff(SyncMode mode, int flags) throws Exception {
        try (OneInputStreamOperatorTestHarness<ContactFlags, TaggedLine> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new ListDiff(mode, false))) {
            h.processElement(ContactFlags.of("42", 678, flags), 0);
            List<String> sent = new ArrayList<>();
            for (TaggedLine line : h.extractOutputValues()) {
                assertThat(line.folder()).isEqualTo(PlanOutputs.LIST_OPS);
                sent.add(((PlannedOperation.ListOp) PlannedOperation.decode(line.line())).action().name());
            }
            List<String> folders = new ArrayList<>();
            if (h.getSideOutput(PlanOutputs.BASELINE) != null) {
                h.getSideOutput(PlanOutputs.BASELINE).forEach(r -> folders.add(r.getValue().folder()));
            }
            return new Outcome(sent, folders.contains(PlanOutputs.PAIRS), folders.contains(PlanOutputs.UNCERTAIN));
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

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.files.TaggedLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The nightly segment diff per code: what is sent, what the new snapshot holds, what is rejected. */
class SegmentDiffTest {
    private static final String ONE = "{\"code\":\"s1\",\"name\":\"One\"}";
    private static final String ONE_RENAMED = "{\"code\":\"s1\",\"name\":\"One, renamed\"}";

    /** Sent operations ("CREATE s1"), baseline lines by folder, and rejects. */
    record Outcome(List<String> sent, List<String> baseline, List<String> rejects) {}

    private static Outcome diff(SyncMode mode, SegmentInput... inputs) throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SegmentDiff(mode, false)),
                SegmentInput::code, Types.STRING)) {
            h.open();
            for (SegmentInput in : inputs) {
                h.processElement(in, 0);
            }
            h.processWatermark(Long.MAX_VALUE);
            List<String> sent = new ArrayList<>();
            List<String> rejects = new ArrayList<>();
            for (TaggedLine line : h.extractOutputValues()) {
                if (line.folder().equals(PlanOutputs.REJECTS)) {
                    rejects.add(line.line());
                } else {
                    PlannedOperation.SegmentOp op = (PlannedOperation.SegmentOp) PlannedOperation.decode(line.line());
                    sent.add(op.action() + " " + op.code());
                }
            }
            List<String> baseline = new ArrayList<>();
            if (h.getSideOutput(PlanOutputs.BASELINE) != null) {
                h.getSideOutput(PlanOutputs.BASELINE).forEach(r -> baseline.add(r.getValue().folder()));
            }
            return new Outcome(sent, baseline, rejects);
        }
    }

    @Test
    void knownCodesSendTheDifference() throws Exception {
        assertThat(diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE, "seg.jsonl", 1)).sent()).containsExactly("CREATE s1");
        assertThat(diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE_RENAMED, "seg.jsonl", 1), SegmentInput.synced("s1", ONE)).sent())
                .containsExactly("UPDATE s1");
        assertThat(diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE, "seg.jsonl", 1), SegmentInput.synced("s1", ONE)).sent()).isEmpty();
        assertThat(diff(SyncMode.MIRROR, SegmentInput.synced("s1", ONE))).isEqualTo(new Outcome(List.of("DELETE s1"), List.of(), List.of()));
    }

    @Test
    void anUncertainCodeGetsItsTargetStateWhateverTheSnapshotSays() throws Exception {
        // A crashed push may have deleted it: Create (a 409 becomes an Update at the sink).
        assertThat(diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE, "seg.jsonl", 1), SegmentInput.synced("s1", ONE),
                SegmentInput.uncertain("s1")).sent()).containsExactly("CREATE s1");
        // A crashed push may have created it: Delete (a 404 is done).
        assertThat(diff(SyncMode.MIRROR, SegmentInput.uncertain("s1"))).isEqualTo(new Outcome(List.of("DELETE s1"), List.of(), List.of()));
    }

    @Test
    void aCodeDefinedTwiceDifferentlyIsRejectedOnBothLinesAndHeld() throws Exception {
        Outcome o = diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE_RENAMED, "seg.jsonl", 1),
                SegmentInput.today("s1", "{\"code\":\"s1\",\"name\":\"Other\"}", "seg.jsonl", 4), SegmentInput.synced("s1", ONE));
        assertThat(o.sent()).isEmpty();
        assertThat(o.baseline()).as("the snapshot keeps what it had").containsExactly(PlanOutputs.SEGMENTS);
        assertThat(o.rejects()).hasSize(2);
        assertThat(o.rejects().get(0)).contains("\"line\":1").contains("seg.jsonl:4");
        assertThat(o.rejects().get(1)).contains("\"line\":4").contains("seg.jsonl:1");
    }

    @Test
    void theSameDefinitionTwiceIsOneAndARejectedLineHoldsItsCode() throws Exception {
        assertThat(diff(SyncMode.MIRROR, SegmentInput.today("s1", ONE, "seg.jsonl", 1), SegmentInput.today("s1", ONE, "seg.jsonl", 2))
                .sent()).containsExactly("CREATE s1");
        Outcome held = diff(SyncMode.MIRROR, SegmentInput.held("s1"), SegmentInput.synced("s1", ONE));
        assertThat(held).as("a bad line about s1 is not news that s1 is gone")
                .isEqualTo(new Outcome(List.of(), List.of(PlanOutputs.SEGMENTS), List.of()));
    }
}

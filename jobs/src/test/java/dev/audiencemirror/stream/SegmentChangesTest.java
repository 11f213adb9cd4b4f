package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The segment branch of the streaming job: records of the compacted topic to taxonomy operations. */
class SegmentChangesTest {

    private static SegmentDefinition def(String code, String name) {
        return new SegmentDefinition(code, name, null, null, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TaxonomyOperation, TaxonomyOperation> harness(
            SyncMode mode, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SegmentChanges(mode)),
                TaxonomyOperation::code, Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static List<Object> out(KeyedOneInputStreamOperatorTestHarness<String, TaxonomyOperation, TaxonomyOperation> h) {
        return h.extractOutputValues().stream().map(Object.class::cast).toList();
    }

    @Test
    void newCodesAreCreatedChangedOnesUpdatedRepeatsSendNothingAndTombstonesDelete() throws Exception {
        try (var h = harness(SyncMode.MIRROR, null)) {
            h.processElement(TaxonomyOperation.update(def("a", "A"), 1), 0);
            h.processElement(TaxonomyOperation.update(def("a", "A"), 2), 0); // the same again
            h.processElement(TaxonomyOperation.update(def("a", "A2"), 3), 0);
            h.processElement(TaxonomyOperation.delete("a", 4), 0);
            h.processElement(TaxonomyOperation.update(def("a", "A3"), 5), 0); // back after its deletion
            assertThat(out(h)).containsExactly(
                    TaxonomyOperation.create(def("a", "A"), 1),
                    TaxonomyOperation.update(def("a", "A2"), 3),
                    TaxonomyOperation.delete("a", 4),
                    TaxonomyOperation.create(def("a", "A3"), 5));
        }
    }

    @Test
    void whatWasSentSurvivesARestoreSoAReplayedDefinitionSendsNothing() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(SyncMode.MIRROR, null)) {
            h.processElement(TaxonomyOperation.update(def("a", "A"), 1), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = harness(SyncMode.MIRROR, snapshot)) {
            h.processElement(TaxonomyOperation.update(def("a", "A"), 1), 0);
            h.processElement(TaxonomyOperation.update(def("a", "B"), 2), 0);
            assertThat(out(h)).containsExactly(TaxonomyOperation.update(def("a", "B"), 2));
        }
    }

    @Test
    void theSyncModeDecidesWhatGoesOut() throws Exception {
        try (var h = harness(SyncMode.UPSERT, null)) {
            h.processElement(TaxonomyOperation.update(def("a", "A"), 1), 0);
            h.processElement(TaxonomyOperation.update(def("a", "A2"), 2), 0);
            h.processElement(TaxonomyOperation.delete("a", 3), 0);
            assertThat(out(h)).containsExactly(TaxonomyOperation.create(def("a", "A"), 1),
                    TaxonomyOperation.update(def("a", "A2"), 2));
        }
        try (var h = harness(SyncMode.ADD, null)) {
            h.processElement(TaxonomyOperation.update(def("a", "A"), 1), 0);
            h.processElement(TaxonomyOperation.update(def("a", "A2"), 2), 0);
            h.processElement(TaxonomyOperation.delete("b", 3), 0);
            assertThat(out(h)).containsExactly(TaxonomyOperation.create(def("a", "A"), 1));
        }
    }

    @Test
    void parsingUsesTheOffsetAsVersionAndRejectsBadRecordsWithTheirReason() throws Exception {
        OneInputStreamOperatorTestHarness<SegmentRecord, TaxonomyOperation> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseSegments());
        byte[] good = "{\"code\":\"a\",\"name\":\"A\"}".getBytes(StandardCharsets.UTF_8);
        h.processElement(new SegmentRecord("kafka:segments/0", 7, "a", good), 0);
        h.processElement(new SegmentRecord("kafka:segments/0", 8, "a", null), 0);
        h.processElement(new SegmentRecord("kafka:segments/0", 9, "b", good), 0);
        h.processElement(new SegmentRecord("kafka:segments/0", 10, null, null), 0);
        h.processElement(new SegmentRecord("kafka:segments/0", 11, "c",
                "{\"code\":\"c\"}".getBytes(StandardCharsets.UTF_8)), 0);

        assertThat(h.extractOutputValues()).containsExactly(
                TaxonomyOperation.update(def("a", "A"), 7), TaxonomyOperation.delete("a", 8));
        List<ParseError> rejects = h.getSideOutput(ParseRecords.REJECTS).stream().map(r -> r.getValue()).toList();
        assertThat(rejects).extracting(ParseError::position, ParseError::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(9L, "code"),
                org.assertj.core.groups.Tuple.tuple(10L, "key"),
                org.assertj.core.groups.Tuple.tuple(11L, "name"));
        assertThat(rejects.get(0).reason()).contains("differs from the record key \"b\"");
        assertThat(rejects.get(0).raw()).isEqualTo(new String(good, StandardCharsets.UTF_8));
        h.close();
    }
}

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

    /**
     * Every taxonomy sync mode over random records (definitions, changed, repeated, tombstones, codes
     * the import already held), with a restore at a random record: the import, applied as the sink
     * applies (a Create of a code that exists updates it, an Update of a missing one creates it),
     * must end as the mode's meaning says, computed here from the records alone. {@code mirror}:
     * per code the last record (a tombstone: gone); {@code upsert}: the last definition, never
     * deleted; {@code add}: the first definition, never changed or deleted; {@code remove}: gone if
     * any tombstone came, never created or changed. Codes no record names keep what they had.
     */
    @Test
    void eachSyncModeLeavesTheImportAsItsMeaningSays() throws Exception {
        // 200 random cases at once, each on codes of its own (keyed state keeps them apart): what
        // comes before each case's restore point, a restore, then the rest.
        java.util.SplittableRandom random = new java.util.SplittableRandom(29);
        java.util.Map<String, SegmentDefinition> held = new java.util.TreeMap<>();
        List<TaxonomyOperation> beforeRestore = new java.util.ArrayList<>();
        List<TaxonomyOperation> afterRestore = new java.util.ArrayList<>();
        for (int round = 0; round < 200; round++) {
            for (int c = 0; c < 6; c++) {
                if (random.nextBoolean()) {
                    held.put("r" + round + "s" + c, def("r" + round + "s" + c, "held " + c));
                }
            }
            int restoreAt = random.nextInt(21);
            for (int i = 0; i < 20; i++) {
                String code = "r" + round + "s" + random.nextInt(6);
                (i < restoreAt ? beforeRestore : afterRestore).add(random.nextInt(4) == 0 ? TaxonomyOperation.delete(code, i)
                        : TaxonomyOperation.update(def(code, "def " + random.nextInt(3)), i));
            }
        }
        List<TaxonomyOperation> records = new java.util.ArrayList<>(beforeRestore);
        records.addAll(afterRestore); // each code's records in their order
        for (SyncMode mode : SyncMode.values()) {
            java.util.Map<String, SegmentDefinition> imported = new java.util.TreeMap<>(held);
            OperatorSubtaskState snapshot;
            try (var h = harness(mode, null)) {
                beforeRestore.forEach(r -> process(h, r));
                h.extractOutputValues().forEach(op -> apply(imported, op));
                snapshot = h.snapshot(1, 0);
            }
            try (var h = harness(mode, snapshot)) {
                afterRestore.forEach(r -> process(h, r));
                h.extractOutputValues().forEach(op -> apply(imported, op));
            }
            assertThat(imported).as("%s", mode).isEqualTo(expected(mode.name().toLowerCase(java.util.Locale.ROOT), held, records));
        }
    }

    private static void process(KeyedOneInputStreamOperatorTestHarness<String, TaxonomyOperation, TaxonomyOperation> h,
            TaxonomyOperation record) {
        try {
            h.processElement(record, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the Taxonomy sink applies an operation to the import. */
    private static void apply(java.util.Map<String, SegmentDefinition> imported, TaxonomyOperation op) {
        if (op.action() == dev.audiencemirror.taxonomyop.TaxonomyAction.DELETE) {
            imported.remove(op.code());
        } else {
            imported.put(op.code(), op.data());
        }
    }

    private static java.util.Map<String, SegmentDefinition> expected(String mode, java.util.Map<String, SegmentDefinition> held,
            List<TaxonomyOperation> records) {
        java.util.Map<String, SegmentDefinition> out = new java.util.TreeMap<>(held);
        java.util.Set<String> created = new java.util.HashSet<>();
        for (TaxonomyOperation r : records) {
            boolean tombstone = r.data() == null;
            switch (mode) {
                case "mirror" -> {
                    if (tombstone) {
                        out.remove(r.code());
                    } else {
                        out.put(r.code(), r.data());
                    }
                }
                case "upsert" -> {
                    if (!tombstone) {
                        out.put(r.code(), r.data());
                    }
                }
                case "add" -> {
                    if (!tombstone && created.add(r.code())) {
                        out.put(r.code(), r.data());
                    }
                }
                case "remove" -> {
                    if (tombstone) {
                        out.remove(r.code());
                    }
                }
                default -> throw new IllegalArgumentException(mode);
            }
        }
        return out;
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

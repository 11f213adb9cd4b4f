package dev.audiencemirror.connector.taxonomy;

import static dev.audiencemirror.taxonomyop.TaxonomyAction.CREATE;
import static dev.audiencemirror.taxonomyop.TaxonomyAction.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.taxonomy.PendingSegments.Batch;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows planned against the codes the import holds: the published contract refuses a whole batch
 * for one Create of a held code (409) or one Update or Delete of an absent one (404), so no such
 * row is sent; a batch refused anyway (the import changed meanwhile) is planned anew.
 */
class ImportCodesPlanningTest {
    private final PendingSegments pending = new PendingSegments(10);
    private final ImportCodes codes = new ImportCodes();

    private static SegmentDefinition def(String code) {
        return new SegmentDefinition(code, "name of " + code, null, null, null);
    }

    private void importHolds(String... held) {
        codes.replace(List.of(held));
    }

    @Test
    void nothingGoesOutBeforeTheImportsCodesAreKnown() {
        pending.offer(TaxonomyOperation.create(def("a"), 1), 0);
        assertThat(pending.nextBatch(true, 0, codes)).isNull();
        importHolds();
        assertThat(pending.nextBatch(true, 0, codes).operations()).containsExactly(TaxonomyOperation.create(def("a"), 1));
    }

    @Test
    void aCreateOfAHeldCodeGoesAsUpdateAnUpdateOfAnAbsentOneAsCreateAndADeleteOfAnAbsentOneIsDoneWithoutACall() {
        importHolds("made-by-hand", "kept");
        pending.offer(TaxonomyOperation.create(def("made-by-hand"), 1), 0);
        pending.offer(TaxonomyOperation.update(def("deleted-by-hand"), 2), 0);
        pending.offer(TaxonomyOperation.delete("never-there", 3), 0);
        pending.offer(TaxonomyOperation.delete("kept", 4), 0);

        Batch b = pending.nextBatch(true, 0, codes);

        assertThat(b.operations()).containsExactly(
                new TaxonomyOperation(UPDATE, "made-by-hand", def("made-by-hand"), 1),
                new TaxonomyOperation(CREATE, "deleted-by-hand", def("deleted-by-hand"), 2),
                TaxonomyOperation.delete("kept", 4));
        assertThat(pending.takeSkippedDeletes()).hasSize(1);
        assertThat(pending.takeSkippedDeletes()).isEmpty();
        assertThat(pending.size()).as("the skipped delete is finished").isEqualTo(3);
    }

    @Test
    void onlyDeletesOfAbsentCodesSendNothingAndLeaveNothingPending() {
        importHolds();
        pending.offer(TaxonomyOperation.delete("x", 1), 0);
        pending.offer(TaxonomyOperation.delete("y", 2), 0);
        assertThat(pending.nextBatch(true, 0, codes)).isNull();
        assertThat(pending.takeSkippedDeletes()).hasSize(2);
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void anAppliedAnswerTeachesTheCodesSoTheNextOperationIsPlannedRight() {
        importHolds();
        pending.offer(TaxonomyOperation.create(def("a"), 1), 0);
        Batch first = pending.nextBatch(true, 0, codes);
        pending.answered(first, List.of(), 3, codes);
        assertThat(codes.holds("a")).isTrue();

        pending.offer(TaxonomyOperation.create(def("a"), 2), 0); // e.g. a replay after a restore
        assertThat(pending.nextBatch(true, 0, codes).operations())
                .containsExactly(new TaxonomyOperation(UPDATE, "a", def("a"), 2));
    }

    @Test
    void aBatchRefusedAsAWholeGoesFirstPlannedAnewAgainstTheCodesReadAgain() {
        importHolds();
        pending.offer(TaxonomyOperation.create(def("a"), 1), 0);
        pending.offer(TaxonomyOperation.create(def("b"), 2), 0);
        Batch b = pending.nextBatch(true, 0, codes);
        pending.offer(TaxonomyOperation.create(def("c"), 3), 0); // waits behind the refused batch

        assertThat(pending.replanAfterRefusal(b, 3)).isEmpty();
        codes.invalidate();
        assertThat(pending.nextBatch(true, 0, codes)).as("not before the codes are read again").isNull();
        importHolds("b"); // someone created b by hand

        Batch again = pending.nextBatch(true, 0, codes);
        assertThat(again.operations()).containsExactly(TaxonomyOperation.create(def("a"), 1),
                new TaxonomyOperation(UPDATE, "b", def("b"), 2));
        assertThat(again.attempts).isEqualTo(2);
        assertThat(again.replans).isEqualTo(1);
    }

    @Test
    void refusedAgainTooOftenTheBatchIsSplitUntilTheRowThatKeepsFailingStandsAlone() {
        importHolds();
        pending.offer(TaxonomyOperation.create(def("a"), 1), 0);
        pending.offer(TaxonomyOperation.create(def("b"), 2), 0);
        int maxReplans = 1;
        List<PendingSegments.Row> isolated = List.of();
        int calls = 0;
        Batch b;
        while ((b = pending.nextBatch(true, 0, codes)) != null) {
            calls++;
            if (b.operations().stream().anyMatch(op -> op.code().equals("b"))) {
                isolated = pending.replanAfterRefusal(b, maxReplans); // b is refused whatever is read
            } else {
                pending.answered(b, List.of(), 3, codes);
            }
            if (!isolated.isEmpty()) {
                break;
            }
        }
        assertThat(isolated).extracting(PendingSegments.Row::code).containsExactly("b");
        assertThat(codes.holds("a")).isTrue();
        assertThat(pending.isEmpty()).isTrue();
        assertThat(calls).isLessThanOrEqualTo(6);
    }
}

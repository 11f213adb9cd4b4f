package dev.audiencemirror.connector.taxonomy;

import static dev.audiencemirror.taxonomyop.TaxonomyAction.CREATE;
import static dev.audiencemirror.taxonomyop.TaxonomyAction.DELETE;
import static dev.audiencemirror.taxonomyop.TaxonomyAction.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.connector.taxonomy.PendingSegments.Batch;
import dev.audiencemirror.connector.taxonomy.PendingSegments.Outcome;
import dev.audiencemirror.connector.taxonomy.PendingSegments.Row;
import dev.audiencemirror.connector.taxonomy.PendingSegments.RowError;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingSegmentsTest {

    private final PendingSegments pending = new PendingSegments(3);
    /** What answers taught about the import's codes (the tests of row outcomes do not look at it). */
    private final ImportCodes learned = new ImportCodes();

    /**
     * The next batch, planned against an import that holds exactly the codes the waiting rows
     * presume (Update and Delete: it holds them; Create: it does not): planning changes nothing,
     * so these tests see the batching and the row outcomes alone. {@code ImportCodesPlanningTest}
     * has the planning.
     */
    private static Batch next(PendingSegments p, boolean partial, long nowNanos) {
        java.util.Map<String, Boolean> premise = new java.util.HashMap<>(); // a code's oldest row decides
        p.snapshot().forEach(op -> premise.putIfAbsent(op.code(), op.action() != CREATE));
        ImportCodes agreeing = new ImportCodes();
        agreeing.replace(premise.entrySet().stream().filter(java.util.Map.Entry::getValue).map(java.util.Map.Entry::getKey).toList());
        return p.nextBatch(partial, nowNanos, agreeing);
    }

    private static SegmentDefinition def(String code, String name) {
        return new SegmentDefinition(code, name, null, null, null);
    }

    private static TaxonomyOperation create(String code, long v) {
        return TaxonomyOperation.create(def(code, code + " v" + v), v);
    }

    private static TaxonomyOperation update(String code, long v) {
        return TaxonomyOperation.update(def(code, code + " v" + v), v);
    }

    private static TaxonomyOperation delete(String code, long v) {
        return TaxonomyOperation.delete(code, v);
    }

    private static List<String> codes(Batch b) {
        return b.rows.stream().map(Row::code).toList();
    }

    @Test
    void aBatchGoesOutFullOrWhenAPartialOneIsAllowedAndNeverTwoAtOnce() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        assertThat(next(pending, false, 0)).as("not full").isNull();
        pending.offer(create("c", 3), 0);
        pending.offer(create("d", 4), 0);

        Batch first = next(pending, false, 0);
        assertThat(codes(first)).containsExactly("a", "b", "c");
        assertThat(first.attempts).isEqualTo(1);
        assertThat(next(pending, true, 0)).as("one batch in flight at a time").isNull();

        pending.answered(first, List.of(), 3, learned);
        assertThat(next(pending, false, 0)).isNull();
        assertThat(codes(next(pending, true, 0))).containsExactly("d");
    }

    @Test
    void operationsOnOneCodeCollapseToTheirNetEffectSoABatchNeverHoldsACodeTwice() {
        pending.offer(create("a", 1), 0);
        pending.offer(update("a", 2), 0); // still a Create: "a" did not exist before
        pending.offer(delete("b", 3), 0);
        pending.offer(create("b", 4), 0); // b existed (it was deleted): an Update
        pending.offer(update("c", 5), 0);
        pending.offer(delete("c", 6), 0); // Delete wins

        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.collapsedCount()).isEqualTo(3);
        Batch b = next(pending, false, 0);
        assertThat(b.operations()).containsExactly(
                new TaxonomyOperation(CREATE, "a", def("a", "a v2"), 2),
                new TaxonomyOperation(UPDATE, "b", def("b", "b v4"), 4),
                delete("c", 6));
    }

    @Test
    void aCodeInFlightWaitsInTheBufferForTheNextBatch() {
        pending.offer(create("a", 1), 0);
        Batch first = next(pending, true, 0);
        pending.offer(update("a", 2), 0);
        pending.offer(create("b", 3), 0);
        assertThat(next(pending, true, 0)).isNull();

        pending.answered(first, List.of(), 3, learned);
        Batch second = next(pending, true, 0);
        assertThat(second.operations()).containsExactly(update("a", 2), create("b", 3));
    }

    @Test
    void anOperationNotNewerThanWhatTheCodeHoldsIsDropped() {
        pending.offer(update("a", 5), 0);
        assertThat(pending.offer(create("a", 4), 0)).isFalse();
        Batch b = next(pending, true, 0);
        assertThat(pending.offer(delete("a", 5), 0)).as("the batched version counts too").isFalse();
        assertThat(pending.staleCount()).isEqualTo(2);
        assertThat(b.operations()).containsExactly(update("a", 5));
    }

    @Test
    void rowOutcomesCreate409BecomesUpdateUpdate404BecomesCreateDelete404IsDoneOthersFail() {
        pending.offer(create("a", 1), 0);
        pending.offer(update("b", 2), 0);
        pending.offer(delete("c", 3), 0);
        Batch b = next(pending, false, 0);

        Outcome o = pending.answered(b, List.of(
                new RowError(0, "a", 409, "exists"),
                new RowError(1, "b", 404, "not found"),
                new RowError(2, "c", 404, "not found")), 3, learned);

        assertThat(o.converted()).isEqualTo(2);
        assertThat(o.alreadyDeleted()).isEqualTo(1);
        assertThat(o.failed()).isEmpty();
        assertThat(o.rowErrorsByStatus()).containsEntry(409, 1).containsEntry(404, 2);
        Batch again = next(pending, true, 0);
        assertThat(again.operations()).containsExactly(
                new TaxonomyOperation(UPDATE, "a", def("a", "a v1"), 1),
                new TaxonomyOperation(CREATE, "b", def("b", "b v2"), 2));
    }

    @Test
    void aConversionGivesWayToANewerOperationWaitingOnTheCode() {
        pending.offer(create("a", 1), 0);
        Batch b = next(pending, true, 0);
        pending.offer(delete("a", 2), 0);

        Outcome o = pending.answered(b, List.of(new RowError(0, "a", 409, "exists")), 3, learned);

        assertThat(o.superseded()).isEqualTo(1);
        assertThat(next(pending, true, 0).operations()).containsExactly(delete("a", 2));
    }

    @Test
    void otherRowFailuresAndEndlessConversionsAreDeadLettered() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        Batch b = next(pending, true, 0);

        Outcome o = pending.answered(b, List.of(new RowError(0, "a", 422, "bad cpm"), new RowError(1, "b", 409, "exists")), 0, learned);

        assertThat(o.failed()).extracting(f -> f.row().code(), PendingSegments.Failed::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 422), org.assertj.core.groups.Tuple.tuple("b", 409));
        assertThat(o.failed().get(1).message()).contains("conversions");
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void rowErrorsAreMatchedByCodeWhenTheIndexDoesNotFit() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        Batch b = next(pending, true, 0);

        Outcome o = pending.answered(b, List.of(new RowError(7, "b", 418, "teapot"), new RowError(-1, "zzz", 418, "?")), 3, learned);

        assertThat(o.failed()).extracting(f -> f.row().code()).containsExactly("b");
        assertThat(o.unmatchedErrors()).isEqualTo(1);
        assertThat(o.succeeded()).isEqualTo(1);
    }

    @Test
    void aMalformedRowNamedByTheApiIsIsolatedAndTheRestResentAsOneBatchFirst() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        pending.offer(create("c", 3), 0);
        Batch b = next(pending, false, 0);
        pending.offer(create("d", 4), 0);

        List<Row> isolated = pending.split(b, 1);

        assertThat(isolated).extracting(Row::code).containsExactly("b");
        Batch rest = next(pending, false, 0);
        assertThat(codes(rest)).as("re-queued batches go before the buffer").containsExactly("a", "c");
        assertThat(rest.attempts).isEqualTo(1);
    }

    @Test
    void withoutAnIndexABatchIsHalvedUntilTheBadRowsStandAlone() {
        PendingSegments p = new PendingSegments(8);
        for (int i = 0; i < 8; i++) {
            p.offer(create("s" + i, i + 1), 0);
        }
        Set<String> bad = Set.of("s2", "s5");
        Set<String> applied = new HashSet<>();
        Set<String> deadLettered = new HashSet<>();
        int requests = 0;
        Batch b;
        while ((b = next(p, true, 0)) != null) {
            requests++;
            if (codes(b).stream().anyMatch(bad::contains)) {
                p.split(b, null).forEach(r -> deadLettered.add(r.code()));
            } else {
                p.answered(b, List.of(), 3, learned);
                applied.addAll(codes(b));
            }
        }
        assertThat(deadLettered).isEqualTo(bad);
        assertThat(applied).hasSize(6).doesNotContainAnyElementsOf(bad);
        assertThat(requests).isLessThanOrEqualTo(1 + 2 * 2 * 3);
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void aRetriedBatchWaitsForItsBackoffThenGoesFirstWithItsAttemptsCounted() {
        pending.offer(create("a", 1), 0);
        Batch b = next(pending, true, 100);
        pending.offer(update("a", 2), 0);
        pending.offer(create("b", 3), 0);

        pending.retryLater(b);
        assertThat(next(pending, true, 200)).as("backing off").isNull();
        pending.backoffEnded();
        Batch again = next(pending, true, 300);
        assertThat(again).isSameAs(b);
        assertThat(again.attempts).isEqualTo(2);
        assertThat(again.firstAttemptNanos).as("retry time counts from the first attempt").isEqualTo(100);
        assertThat(codes(again)).containsExactly("a");
    }

    @Test
    void abandoningABatchDeadLettersOnlyRowsNoNewerOperationSupersedes() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        Batch b = next(pending, true, 0);
        pending.offer(delete("a", 3), 0);

        assertThat(pending.abandon(b)).extracting(Row::code).containsExactly("b");
        assertThat(next(pending, true, 0).operations()).containsExactly(delete("a", 3));
    }

    @Test
    void snapshotHoldsEverythingUnfinishedOldestFirstPerCodeAndRestoresToTheNewest() {
        pending.offer(create("a", 1), 0);
        pending.offer(create("b", 2), 0);
        Batch inFlight = next(pending, true, 0);
        pending.offer(delete("a", 3), 0);
        pending.offer(create("c", 4), 0);

        List<TaxonomyOperation> snapshot = pending.snapshot();
        assertThat(snapshot).containsExactly(create("a", 1), create("b", 2), delete("a", 3), create("c", 4));
        assertThat(pending.size()).isEqualTo(4);
        assertThat(codes(inFlight)).containsExactly("a", "b");

        PendingSegments restored = new PendingSegments(3);
        snapshot.forEach(op -> restored.offer(op, 0));
        assertThat(next(restored, true, 0).operations()).containsExactly(delete("a", 3), create("b", 2), create("c", 4));
    }

    @Test
    void lingerClockIsTheOldestBufferedArrival() {
        assertThat(pending.oldestBufferedMillis()).isEqualTo(Long.MAX_VALUE);
        pending.offer(create("a", 1), 100);
        pending.offer(create("b", 2), 150);
        pending.offer(update("a", 3), 400);
        assertThat(pending.oldestBufferedMillis()).isEqualTo(100);
        pending.offer(create("c", 4), 500);
        pending.offer(create("d", 5), 600);
        Batch b = next(pending, false, 0);
        assertThat(pending.oldestBufferedMillis()).isEqualTo(600);
        assertThat(pending.oldestPendingMillis()).isEqualTo(100);
        pending.answered(b, List.of(), 3, learned);
        assertThat(pending.oldestPendingMillis()).isEqualTo(600);
    }

    @Test
    void anAnswerForABatchNotInFlightIsABug() {
        pending.offer(create("a", 1), 0);
        Batch b = next(pending, true, 0);
        pending.answered(b, List.of(), 3, learned);
        assertThatThrownBy(() -> pending.answered(b, List.of(), 3, learned)).isInstanceOf(IllegalStateException.class);
    }
}

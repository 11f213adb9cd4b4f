package dev.audiencemirror.connector.taxonomy;

import static dev.audiencemirror.taxonomyop.TaxonomyAction.CREATE;
import static dev.audiencemirror.taxonomyop.TaxonomyAction.DELETE;
import static dev.audiencemirror.taxonomyop.TaxonomyAction.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.taxonomy.PendingSegments.Batch;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The settle rule of {@link PendingSegments}: a code whose batch got no answer or a 5xx is
 * uncertain; its newest operation, once finished, is sent once more after the settle delay, and
 * that re-send is planned against the codes the import holds then (after every late apply).
 */
class LateAppliesTest {
    private static final long SETTLE = 1_000;
    private final PendingSegments pending = new PendingSegments(10, SETTLE);
    private final ImportCodes codes = new ImportCodes();

    private static TaxonomyOperation create(String code, long v) {
        return TaxonomyOperation.create(new SegmentDefinition(code, code + " v" + v, null, null, null), v);
    }

    private static TaxonomyOperation update(String code, long v) {
        return TaxonomyOperation.update(new SegmentDefinition(code, code + " v" + v, null, null, null), v);
    }

    private Batch send(long nowNanos) {
        return pending.nextBatch(true, nowNanos, codes);
    }

    private void applied(Batch b) {
        pending.answered(b, List.of(), 3, codes);
    }

    /** The batch timed out: it may still land; it goes out again after the backoff. */
    private void timedOut(Batch b) {
        pending.fateUnknown(b);
        pending.retryLater(b);
        pending.backoffEnded();
    }

    @Test
    void aCreateThatTimedOutThenADeleteAppliedSettlesTheDeleteAndItsReSendRemovesTheStraySegment() {
        codes.replace(List.of());
        pending.offer(create("a", 1), 0);
        timedOut(send(0));
        applied(send(10)); // the retry of the Create lands
        pending.offer(TaxonomyOperation.delete("a", 2), 20);
        Batch delete = send(20);
        assertThat(delete.operations()).extracting(TaxonomyOperation::action).containsExactly(DELETE);
        applied(delete);

        List<TaxonomyOperation> settling = pending.takeNewlySettling();
        assertThat(settling).as("the Delete went out while the timed-out Create could still land")
                .containsExactly(TaxonomyOperation.delete("a", 2));
        assertThat(pending.isEmpty()).as("a settling operation is unfinished work").isFalse();
        assertThat(pending.snapshot()).as("and is stored at a checkpoint").containsExactly(TaxonomyOperation.delete("a", 2));

        // The held Create lands late: the import holds "a" again. Read anew, the re-send is a real Delete.
        codes.replace(List.of("a"));
        assertThat(pending.settleEnded(settling, 0)).isEqualTo(1);
        Batch resend = send(SETTLE + 30);
        assertThat(resend.operations()).containsExactly(TaxonomyOperation.delete("a", 2));
        assertThat(resend.rows.get(0).resend()).isTrue();
        applied(resend);
        assertThat(pending.takeNewlySettling()).as("sent after every older call could land: certain").isEmpty();
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.resentCount()).isEqualTo(1);
    }

    @Test
    void aDeleteOfACodeTheImportLacksStillSettlesWhenAnOlderCreateMayLandLater() {
        codes.replace(List.of());
        pending.offer(create("a", 1), 0);
        Batch held = send(0);
        pending.fateUnknown(held);
        pending.abandon(held); // given up: its rows are dead-lettered, but it may still land
        pending.offer(TaxonomyOperation.delete("a", 2), 10);
        assertThat(send(10)).as("nothing to send: the import lacks the code").isNull();
        assertThat(pending.takeSkippedDeletes()).hasSize(1);
        assertThat(pending.takeNewlySettling()).containsExactly(TaxonomyOperation.delete("a", 2));
    }

    @Test
    void aReSentCreateOfACodeTheImportHoldsGoesAsUpdateAndOfACodeALateDeleteRemovedAsCreate() {
        codes.replace(List.of());
        pending.offer(create("a", 1), 0);
        Batch held = send(0);
        pending.fateUnknown(held);
        pending.abandon(held);
        pending.offer(create("a", 2), 5);
        applied(send(10));
        List<TaxonomyOperation> settling = pending.takeNewlySettling();
        assertThat(settling).extracting(TaxonomyOperation::action, TaxonomyOperation::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CREATE, 2L));

        pending.settleEnded(settling, 0);
        codes.replace(List.of("a")); // read again: the code is there (a late Create of it would have met a 409)
        Batch resend = send(SETTLE + 20);
        assertThat(resend.operations()).extracting(TaxonomyOperation::action).containsExactly(UPDATE);
        assertThat(resend.operations().get(0).data().name()).isEqualTo("a v2");
        applied(resend);

        pending.offer(update("a", 3), SETTLE + 30);
        Batch late = send(SETTLE + 30);
        pending.fateUnknown(late);
        pending.abandon(late);
        pending.offer(update("a", 4), SETTLE + 40);
        applied(send(SETTLE + 40));
        settling = pending.takeNewlySettling();
        pending.settleEnded(settling, 0);
        codes.replace(List.of()); // someone's late Delete removed it: the re-send must create it again
        assertThat(send(3 * SETTLE).operations()).extracting(TaxonomyOperation::action).containsExactly(CREATE);
    }

    @Test
    void aNewerOperationReplacesTheSettlingOneAndSettlesInItsTurn() {
        codes.replace(List.of("a"));
        pending.offer(update("a", 1), 0);
        timedOut(send(0));
        applied(send(5));
        assertThat(pending.takeNewlySettling()).as("a late copy of the same operation changes nothing").isEmpty();
        pending.offer(update("a", 2), 10);
        applied(send(10));
        List<TaxonomyOperation> first = pending.takeNewlySettling();
        assertThat(first).extracting(TaxonomyOperation::version).containsExactly(2L);

        assertThat(pending.offer(update("a", 2), 20)).as("a replay of the settling one is stale").isFalse();
        assertThat(pending.offer(update("a", 3), 20)).isTrue();
        applied(send(20));
        assertThat(pending.takeNewlySettling()).as("still inside the first call's window").extracting(TaxonomyOperation::version)
                .containsExactly(3L);
        assertThat(pending.settleEnded(first, 0)).as("the replaced one is not re-sent").isZero();
    }

    @Test
    void aHealthyApiSettlesNothingAndA429IsCertain() {
        codes.replace(List.of());
        pending.offer(create("a", 1), 0);
        Batch throttled = send(0);
        pending.retryLater(throttled); // a 429: nothing was applied, no fateUnknown
        pending.backoffEnded();
        applied(send(10));
        pending.offer(update("b", 2), 20);
        pending.offer(create("c", 3), 20);
        applied(send(20));
        assertThat(pending.takeNewlySettling()).isEmpty();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void aCallOfUnknownFateLandsWithinTheSettleDelaySoALaterOperationIsCertain() {
        codes.replace(List.of("a"));
        pending.offer(update("a", 1), 0);
        timedOut(send(0));
        applied(send(10)); // settles
        pending.takeNewlySettling();
        pending.offer(update("a", 2), SETTLE + 1);
        applied(send(SETTLE + 1)); // sent after the timed-out call could land
        assertThat(pending.takeNewlySettling()).isEmpty();
    }

    @Test
    void restoredCodesAreUncertainFromTheStartAndTheFenceCoversCodesNotInTheCheckpoint() {
        codes.replace(List.of());
        pending.fenceUntil(SETTLE);
        pending.offerRestored(create("restored", 1), 0, 0);
        applied(send(5));
        assertThat(pending.takeNewlySettling()).extracting(TaxonomyOperation::code).containsExactly("restored");
        pending.offer(create("replayed", 2), 10);
        applied(send(10));
        assertThat(pending.takeNewlySettling()).as("inside the fence").extracting(TaxonomyOperation::code)
                .containsExactly("replayed");
        pending.offer(create("later", 3), SETTLE + 10);
        applied(send(SETTLE + 10));
        assertThat(pending.takeNewlySettling()).as("after the fence").isEmpty();
    }

    @Test
    void withTheSettleDelayOffNothingEverSettles() {
        PendingSegments off = new PendingSegments(10, 0);
        codes.replace(List.of());
        off.fenceUntil(Long.MAX_VALUE);
        off.offerRestored(create("a", 1), 0, 0);
        Batch b = off.nextBatch(true, 0, codes);
        off.fateUnknown(b);
        off.retryLater(b);
        off.backoffEnded();
        off.answered(off.nextBatch(true, 5, codes), List.of(), 3, codes);
        assertThat(off.takeNewlySettling()).isEmpty();
        assertThat(off.isEmpty()).isTrue();
    }
}

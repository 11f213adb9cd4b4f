package dev.audiencemirror.connector.adestra;

import static dev.audiencemirror.listop.ListAction.ADD;
import static dev.audiencemirror.listop.ListAction.REMOVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.adestra.PendingOperations.RetryOutcome;
import dev.audiencemirror.connector.adestra.PendingOperations.Slot;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingOperationsTest {

    /** The settle delay, in the tests' nanoseconds. */
    private static final long SETTLE = 1_000;

    private final PendingOperations pending = new PendingOperations(SETTLE);

    private static ListOperation op(String contact, long list, ListAction action, long version) {
        return new ListOperation(contact, list, action, 1_000L, version);
    }

    private List<ListOperation> drainSendable() {
        List<ListOperation> out = new ArrayList<>();
        Slot s;
        while ((s = pending.pollSendable(0)) != null) {
            out.add(s.inFlight);
        }
        return out;
    }

    @Test
    void differentKeysGoOutTogetherButOneKeyHasAtMostOneRequestInFlight() {
        pending.offer(op("1", 678, ADD, 1), 0);
        pending.offer(op("2", 678, ADD, 2), 0);
        Slot first = pending.pollSendable(0);
        Slot second = pending.pollSendable(0);
        assertThat(List.of(first.inFlight.contactId(), second.inFlight.contactId())).containsExactly("1", "2");

        pending.offer(op("1", 678, REMOVE, 3), 0);
        assertThat(pending.pollSendable(0)).as("key 1 still has a request in flight").isNull();

        pending.finished(first);
        assertThat(drainSendable()).containsExactly(op("1", 678, REMOVE, 3));
    }

    @Test
    void waitingOperationsOnOneKeyCollapseToTheNewest() {
        Slot inFlight;
        pending.offer(op("1", 678, ADD, 1), 0);
        inFlight = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 2), 0);
        pending.offer(op("1", 678, ADD, 3), 0);
        pending.offer(op("1", 678, REMOVE, 4), 0);

        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.collapsedCount()).isEqualTo(2);
        pending.finished(inFlight);
        assertThat(drainSendable()).containsExactly(op("1", 678, REMOVE, 4));
    }

    @Test
    void anOlderOperationArrivingLateIsDroppedNotSent() {
        pending.offer(op("1", 678, REMOVE, 5), 0);
        assertThat(pending.offer(op("1", 678, ADD, 4), 0)).isFalse();
        assertThat(pending.staleCount()).isEqualTo(1);
        assertThat(drainSendable()).containsExactly(op("1", 678, REMOVE, 5));
    }

    @Test
    void aFailedOperationIsRetriedAfterItsBackoffAndNotBefore() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(10);
        assertThat(pending.attemptsOfInFlight(slot)).isEqualTo(1);

        assertThat(pending.failed(slot, true)).isEqualTo(RetryOutcome.RETRY);
        assertThat(pending.pollSendable(20)).as("backing off").isNull();

        pending.backoffEnded(slot);
        Slot again = pending.pollSendable(30);
        assertThat(again.inFlight).isEqualTo(op("1", 678, ADD, 1));
        assertThat(pending.attemptsOfInFlight(again)).isEqualTo(2);
        assertThat(pending.firstAttemptNanosOfInFlight(again)).as("retry time counts from the first attempt").isEqualTo(10);
    }

    @Test
    void aNewerOperationSupersedesAFailedOneAndWaitsForTheBackoff() {
        // ADD fails while REMOVE waits: only REMOVE may go, and only after the backoff, so a late
        // landing of the ADD cannot follow it.
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 2), 0);

        assertThat(pending.failed(slot, true)).isEqualTo(RetryOutcome.SUPERSEDED);
        assertThat(pending.pollSendable(0)).isNull();
        pending.backoffEnded(slot);
        Slot next = pending.pollSendable(0);
        assertThat(next.inFlight).isEqualTo(op("1", 678, REMOVE, 2));
        assertThat(pending.attemptsOfInFlight(next)).isEqualTo(1);
        pending.finished(next);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.size()).isZero();
    }

    @Test
    void givingUpFreesTheKey() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        assertThat(pending.failed(slot, false)).isEqualTo(RetryOutcome.GIVE_UP);
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.size()).isZero();
    }

    @Test
    void snapshotHoldsEverythingNotAcknowledgedOldestFirstPerKey() {
        pending.offer(op("1", 678, ADD, 1), 0);
        pending.offer(op("2", 679, ADD, 2), 0);
        Slot sent = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 3), 0);
        Slot done = pending.pollSendable(0);
        pending.finished(done);

        assertThat(pending.snapshot()).containsExactly(op("1", 678, ADD, 1), op("1", 678, REMOVE, 3));

        // Restoring that snapshot into a fresh writer keeps only the newest per key.
        PendingOperations restored = new PendingOperations(SETTLE);
        pending.snapshot().forEach(o -> restored.offer(o, 0));
        assertThat(restored.pollSendable(0).inFlight).isEqualTo(op("1", 678, REMOVE, 3));
        assertThat(sent.key).isEqualTo(new dev.audiencemirror.listop.ListKey("1", 678));
    }

    @Test
    void changedKeysAndTheNewestUnfinishedPerKeyAreWhatTheKeyedStateGets() {
        var k1 = new dev.audiencemirror.listop.ListKey("1", 678);
        var k2 = new dev.audiencemirror.listop.ListKey("2", 679);
        pending.offer(op("1", 678, ADD, 1), 0);
        pending.offer(op("2", 679, ADD, 2), 0);
        Slot first = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 3), 0);
        assertThat(pending.takeChangedKeys()).containsExactlyInAnyOrder(k1, k2);
        assertThat(pending.newestUnfinished(k1)).isEqualTo(op("1", 678, REMOVE, 3));
        assertThat(pending.takeChangedKeys()).isEmpty();

        pending.finished(first); // the ADD landed; the REMOVE still waits
        Slot second = pending.pollSendable(0);
        pending.finished(second); // key 2 done
        assertThat(pending.takeChangedKeys()).containsExactlyInAnyOrder(k1, k2);
        assertThat(pending.newestUnfinished(k1)).isEqualTo(op("1", 678, REMOVE, 3));
        assertThat(pending.newestUnfinished(k2)).isNull();

        Slot remove = pending.pollSendable(0);
        assertThat(pending.failed(remove, false)).isEqualTo(RetryOutcome.GIVE_UP);
        assertThat(pending.takeChangedKeys()).containsExactly(k1);
        assertThat(pending.newestUnfinished(k1)).isNull();
    }

    @Test
    void oldestPendingAgeTracksTheLongestWaitingKey() {
        assertThat(pending.oldestPendingAgeNanos(100)).isZero();
        pending.offer(op("1", 678, ADD, 1), 100);
        pending.offer(op("2", 678, ADD, 2), 250);
        assertThat(pending.oldestPendingAgeNanos(1_000)).isEqualTo(900);
    }

    // Late applies: a call whose fate is unknown (no answer, a 5xx) may still land after a newer one.

    /** ADD v1 gets no answer, REMOVE v2 is acknowledged: v1 may land late, so v2 settles and goes once more. */
    private Slot acknowledgedAfterAnUncertainOlderCall() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 2), 0);
        assertThat(pending.failed(slot, true, true)).isEqualTo(RetryOutcome.SUPERSEDED);
        pending.backoffEnded(slot);
        Slot newer = pending.pollSendable(0);
        assertThat(pending.acknowledged(newer, 0)).as("settles").isTrue();
        return newer;
    }

    @Test
    void theNewestOperationOfAnUncertainKeyIsSentOnceMoreWhenTheSettleDelayEnds() {
        Slot slot = acknowledgedAfterAnUncertainOlderCall();
        assertThat(pending.pollSendable(0)).as("nothing goes during the settle delay").isNull();
        assertThat(pending.isEmpty()).as("a bounded run waits for the re-send").isFalse();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.newestUnfinished(slot.key)).as("a checkpoint keeps it").isEqualTo(op("1", 678, REMOVE, 2));

        assertThat(pending.settleEnded(slot, op("1", 678, REMOVE, 2))).isTrue();
        Slot again = pending.pollSendable(SETTLE);
        assertThat(again.inFlight).isEqualTo(op("1", 678, REMOVE, 2));
        assertThat(pending.resentCount()).isEqualTo(1);
        assertThat(pending.acknowledged(again, 0)).as("every older call has landed by now").isFalse();
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aReplayOfTheSettlingOperationIsStaleAndAChangeDuringTheSettleDelaySettlesInItsTurn() {
        Slot slot = acknowledgedAfterAnUncertainOlderCall();
        assertThat(pending.offer(op("1", 678, REMOVE, 2), 0)).isFalse();

        pending.offer(op("1", 678, ADD, 3), 0);
        Slot newest = pending.pollSendable(0);
        assertThat(newest.inFlight).isEqualTo(op("1", 678, ADD, 3));
        assertThat(pending.settleEnded(slot, op("1", 678, REMOVE, 2))).as("replaced, not re-sent").isFalse();
        assertThat(pending.acknowledged(newest, 0)).as("ADD v1 may still land after ADD v3's REMOVE v2").isTrue();
        assertThat(pending.settleEnded(newest, op("1", 678, ADD, 3))).isTrue();
        assertThat(pending.pollSendable(0).inFlight).isEqualTo(op("1", 678, ADD, 3));
        assertThat(pending.resentCount()).isEqualTo(1);
    }

    @Test
    void aReSendWhoseFateIsUnknownIsRetriedAndAnOperationAfterItSettlesAgain() {
        Slot slot = acknowledgedAfterAnUncertainOlderCall();
        pending.settleEnded(slot, op("1", 678, REMOVE, 2));
        Slot resend = pending.pollSendable(SETTLE);
        pending.offer(op("1", 678, ADD, 3), 0);
        assertThat(pending.failed(resend, true, true)).isEqualTo(RetryOutcome.SUPERSEDED);
        pending.backoffEnded(resend);
        Slot newest = pending.pollSendable(SETTLE + 100);
        assertThat(pending.acknowledged(newest, 0)).as("the re-sent REMOVE v2 may land after ADD v3").isTrue();
    }

    @Test
    void aLateCopyOfTheAcknowledgedOperationItselfChangesNothingSoItIsNotReSent() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        assertThat(pending.failed(slot, true, true)).isEqualTo(RetryOutcome.RETRY);
        pending.backoffEnded(slot);
        assertThat(pending.acknowledged(pending.pollSendable(100), 100)).isFalse();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void butTheNextOperationSentWhileThatCallMayStillLandSettles() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        pending.failed(slot, true, true);
        pending.backoffEnded(slot);
        pending.acknowledged(pending.pollSendable(100), 100);

        pending.offer(op("1", 678, REMOVE, 2), 200);
        assertThat(pending.acknowledged(pending.pollSendable(SETTLE - 1), SETTLE - 1))
                .as("the first ADD may land after this REMOVE").isTrue();
    }

    @Test
    void anOperationSentAfterTheSettleDelayOfEveryUnknownCallIsCertain() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        pending.failed(slot, true, true);
        pending.backoffEnded(slot);
        pending.acknowledged(pending.pollSendable(100), 100);

        pending.offer(op("1", 678, REMOVE, 2), SETTLE);
        assertThat(pending.acknowledged(pending.pollSendable(SETTLE), SETTLE)).isFalse();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void a429OrARefusedKeySaysNothingWasDoneSoTheKeyStaysCertain() {
        pending.offer(op("1", 678, ADD, 1), 0);
        Slot slot = pending.pollSendable(0);
        pending.offer(op("1", 678, REMOVE, 2), 0);
        assertThat(pending.failed(slot, true, false)).isEqualTo(RetryOutcome.SUPERSEDED);
        pending.backoffEnded(slot);
        assertThat(pending.acknowledged(pending.pollSendable(0), 0)).isFalse();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void restoredKeysAreUncertainFromTheStart() {
        assertThat(pending.offerRestored(op("1", 678, ADD, 7), 0)).isTrue();
        pending.offer(op("2", 678, ADD, 8), 0);
        Slot restored = pending.pollSendable(0);
        Slot fresh = pending.pollSendable(0);
        assertThat(pending.acknowledged(restored, 0)).as("the failed attempt may still have a call open").isTrue();
        assertThat(pending.acknowledged(fresh, 0)).isFalse();
    }

    @Test
    void afterAFailoverEveryCallSentInsideTheFenceSettles() {
        pending.fenceUntil(100);
        pending.offer(op("1", 678, ADD, 1), 0);
        pending.offer(op("2", 678, ADD, 2), 0);
        Slot inside = pending.pollSendable(99);
        Slot after = pending.pollSendable(100);
        assertThat(pending.acknowledged(inside, 150)).isTrue();
        assertThat(pending.acknowledged(after, 150)).as("sent after the failed attempt's calls landed").isFalse();
    }

    @Test
    void withTheSettleDelayOffNothingIsEverReSent() {
        PendingOperations off = new PendingOperations(0);
        off.fenceUntil(100);
        off.offerRestored(op("1", 678, ADD, 1), 0);
        Slot slot = off.pollSendable(0);
        off.offer(op("1", 678, REMOVE, 2), 0);
        off.failed(slot, true, true);
        off.backoffEnded(slot);
        assertThat(off.acknowledged(off.pollSendable(0), 0)).isFalse();
        assertThat(off.isEmpty()).isTrue();
    }
}

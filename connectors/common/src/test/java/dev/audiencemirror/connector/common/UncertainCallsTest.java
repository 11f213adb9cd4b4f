package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UncertainCallsTest {
    private static final long SETTLE = 1_000;

    @Test
    void anOperationSentWhileAnOlderCallMayStillLandMayBeUndone() {
        UncertainCalls<String> calls = new UncertainCalls<>(SETTLE);
        calls.fateUnknown("a", 1, 100); // may land until 1_100
        assertThat(calls.mayBeUndone("a", 2, 500, 600)).isTrue();
        assertThat(calls.mayBeUndone("b", 2, 500, 600)).as("another key").isFalse();
    }

    @Test
    void aCallOfTheSameOrANewerVersionCannotUndoIt() {
        UncertainCalls<String> calls = new UncertainCalls<>(SETTLE);
        calls.fateUnknown("a", 2, 100);
        assertThat(calls.mayBeUndone("a", 2, 500, 600)).as("its own earlier attempt: same effect").isFalse();
        assertThat(calls.mayBeUndone("a", 1, 500, 600)).isFalse();
    }

    @Test
    void aCallSentAfterTheOlderOneMustHaveLandedIsSafe() {
        UncertainCalls<String> calls = new UncertainCalls<>(SETTLE);
        calls.fateUnknown("a", 1, 100);
        assertThat(calls.mayBeUndone("a", 2, 1_100, 1_200)).isFalse();
    }

    @Test
    void forgettingLandedCallsNeverHidesOneThatLandedAfterTheCheckedSend() {
        UncertainCalls<String> calls = new UncertainCalls<>(SETTLE);
        calls.fateUnknown("a", 1, 0); // may land until 1_000
        for (int i = 0; i < 1023; i++) {
            calls.mayBeUndone("other", 1, 0, 0);
        }
        // The 1024th check forgets landed calls as of now (5_000), but is answered for a send at 500.
        assertThat(calls.mayBeUndone("a", 2, 500, 5_000)).isTrue();
        assertThat(calls.mayBeUndone("a", 3, 500, 5_000)).as("forgotten after that check").isFalse();
    }

    @Test
    void restoredKeysAndTheFenceCountAsUndoable() {
        UncertainCalls<String> calls = new UncertainCalls<>(SETTLE);
        calls.restored("a", 0);
        assertThat(calls.mayBeUndone("a", 7, 10, 20)).isTrue();
        calls.fenceUntil(2_000);
        assertThat(calls.mayBeUndone("never-seen", 1, 1_999, 1_999)).isTrue();
        assertThat(calls.mayBeUndone("never-seen", 1, 2_000, 2_000)).isFalse();
    }

    @Test
    void withoutASettleDelayNothingIsEverUndoable() {
        UncertainCalls<String> calls = new UncertainCalls<>(0);
        calls.fateUnknown("a", 1, 100);
        calls.restored("b", 100);
        calls.fenceUntil(10_000);
        assertThat(calls.mayBeUndone("a", 2, 200, 200)).isFalse();
        assertThat(calls.mayBeUndone("b", 2, 200, 200)).isFalse();
    }
}

package dev.audiencemirror.sandbox.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConcurrencyTrackerTest {

    @Test
    void tracksInFlightAndMaximumPerKey() {
        ConcurrencyTracker t = new ConcurrencyTracker();
        assertThat(t.arrive("a")).isEqualTo(1);
        assertThat(t.arrive("a")).isEqualTo(2);
        assertThat(t.arrive("b")).isEqualTo(1);
        t.depart("a");
        assertThat(t.arrive("a")).isEqualTo(2);
        assertThat(t.maxSeen()).containsEntry("a", 2).containsEntry("b", 1);
        assertThat(t.inFlight()).containsEntry("a", 2);
    }

    @Test
    void resetKeepsRequestsStillInFlight() {
        ConcurrencyTracker t = new ConcurrencyTracker();
        t.arrive("a");
        t.arrive("a");
        t.depart("a");
        t.resetMax();
        assertThat(t.maxSeen()).containsEntry("a", 1);
        t.depart("a");
        assertThat(t.inFlight()).containsEntry("a", 0);
    }
}

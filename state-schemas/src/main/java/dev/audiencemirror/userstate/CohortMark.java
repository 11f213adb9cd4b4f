package dev.audiencemirror.userstate;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a user stands in one cohort as of the latest event accepted for that (user, cohort).
 * Exits are kept too (as {@code in = false}): without them a late, older entry would put the user
 * back into a cohort they have left.
 *
 * @param in {@code true} after a SegmentEntry, {@code false} after a SegmentExit
 * @param time event time of that event
 */
public record CohortMark(boolean in, Instant time) {
    public CohortMark {
        Objects.requireNonNull(time, "time");
    }

    /**
     * Whether an event at {@code eventTime} may replace this mark: only a strictly newer one. On a
     * tie the mark already held stays, so the outcome never depends on which of two events with
     * the same time came first.
     */
    public boolean isOlderThan(Instant eventTime) {
        return eventTime.isAfter(time);
    }
}

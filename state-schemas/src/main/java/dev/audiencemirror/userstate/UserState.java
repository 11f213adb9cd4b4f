package dev.audiencemirror.userstate;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything the streaming job keeps per user, in one value so that one read and one write serve a
 * record, and so that the whole user expires at once.
 *
 * @param contactId the user's Adestra Contact ID (the alias under the configured alias tag with the
 *     best priority) per the latest identity record accepted; {@code null} while none is known:
 *     the user's cohorts are held until one arrives
 * @param identityTime event time of that identity record; {@code null} before any
 * @param cohorts activated cohorts the user has had an event for, with the latest accepted event
 *     per cohort (entries and exits), sorted by cohort ID
 * @param lastActiveMillis processing time of the user's latest record, epoch millis (for the
 *     inactivity TTL; 0 when unused)
 * @param expiryTimerMillis when the user's inactivity timer fires, epoch millis; 0 when none is set
 */
@TypeInfo(UserStateTypeInfoFactory.class)
public record UserState(
        String contactId,
        Instant identityTime,
        SortedMap<String, CohortMark> cohorts,
        long lastActiveMillis,
        long expiryTimerMillis) {

    /** A user the job has seen nothing of. */
    public static final UserState EMPTY = new UserState(null, null, new TreeMap<>(), 0, 0);

    public UserState {
        cohorts = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(cohorts, "cohorts")));
    }

    public CohortMark mark(String cohort) {
        return cohorts.get(cohort);
    }

    public boolean isIn(String cohort) {
        CohortMark m = cohorts.get(cohort);
        return m != null && m.in();
    }

    public UserState withContact(String newContactId, Instant newIdentityTime) {
        return new UserState(newContactId, newIdentityTime, cohorts, lastActiveMillis, expiryTimerMillis);
    }

    public UserState withCohort(String cohort, CohortMark mark) {
        TreeMap<String, CohortMark> next = new TreeMap<>(cohorts);
        next.put(cohort, mark);
        return new UserState(contactId, identityTime, next, lastActiveMillis, expiryTimerMillis);
    }

    public UserState activeAt(long processingTimeMillis) {
        return new UserState(contactId, identityTime, cohorts, processingTimeMillis, expiryTimerMillis);
    }

    public UserState withExpiryTimer(long timerMillis) {
        return new UserState(contactId, identityTime, cohorts, lastActiveMillis, timerMillis);
    }
}

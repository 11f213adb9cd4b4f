package dev.audiencemirror.userstate;

import dev.audiencemirror.identity.IdentityOrder;
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
 * @param identitySource input of that identity record (file name, {@code kafka:topic/partition});
 *     {@code null} before any, and for state written before positions were kept
 * @param identityPosition its line number or offset in that input (0 when none)
 * @param cohorts activated cohorts the user has had an event for, with the latest accepted event
 *     per cohort (entries and exits), sorted by cohort ID
 * @param lastActiveMillis processing time of the user's latest record, epoch millis (for the
 *     inactivity TTL; 0 when unused)
 * @param expiryTimerMillis when the user's inactivity timer fires, epoch millis; 0 when none is set
 * @param writtenBy the run of the per-user stage that last wrote this value (a random id drawn when
 *     a subtask starts; 0 for values written before it was kept). A later run that reads another
 *     run's id knows the value was restored, so that its last requests may not be what went out.
 */
@TypeInfo(UserStateTypeInfoFactory.class)
public record UserState(
        String contactId,
        Instant identityTime,
        String identitySource,
        long identityPosition,
        SortedMap<String, CohortMark> cohorts,
        long lastActiveMillis,
        long expiryTimerMillis,
        long writtenBy) {

    /** A user the job has seen nothing of. */
    public static final UserState EMPTY = new UserState(null, null, null, 0, new TreeMap<>(), 0, 0, 0);

    public UserState {
        cohorts = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(cohorts, "cohorts")));
    }

    /** A value no run has marked as its own (as formats before v3 read). */
    public UserState(String contactId, Instant identityTime, String identitySource, long identityPosition,
            SortedMap<String, CohortMark> cohorts, long lastActiveMillis, long expiryTimerMillis) {
        this(contactId, identityTime, identitySource, identityPosition, cohorts, lastActiveMillis, expiryTimerMillis, 0);
    }

    public CohortMark mark(String cohort) {
        return cohorts.get(cohort);
    }

    public boolean isIn(String cohort) {
        CohortMark m = cohorts.get(cohort);
        return m != null && m.in();
    }

    /**
     * Whether an identity record at {@code time}, read at ({@code source}, {@code position}), may
     * replace the one held ({@link IdentityOrder}).
     */
    public boolean identityIsOlderThan(Instant time, String source, long position) {
        return IdentityOrder.replaces(time, source, position, identityTime, identitySource, identityPosition);
    }

    /** The contact of an accepted identity record, and where that record was read. */
    public UserState withIdentity(String newContactId, Instant time, String source, long position) {
        return new UserState(newContactId, time, source, position, cohorts, lastActiveMillis, expiryTimerMillis, writtenBy);
    }

    /** The contact known from an event that names the user by it (no identity record). */
    public UserState withContact(String newContactId) {
        return new UserState(newContactId, identityTime, identitySource, identityPosition, cohorts,
                lastActiveMillis, expiryTimerMillis, writtenBy);
    }

    public UserState withCohort(String cohort, CohortMark mark) {
        TreeMap<String, CohortMark> next = new TreeMap<>(cohorts);
        next.put(cohort, mark);
        return new UserState(contactId, identityTime, identitySource, identityPosition, next, lastActiveMillis,
                expiryTimerMillis, writtenBy);
    }

    public UserState activeAt(long processingTimeMillis) {
        return new UserState(contactId, identityTime, identitySource, identityPosition, cohorts, processingTimeMillis,
                expiryTimerMillis, writtenBy);
    }

    public UserState withExpiryTimer(long timerMillis) {
        return new UserState(contactId, identityTime, identitySource, identityPosition, cohorts, lastActiveMillis,
                timerMillis, writtenBy);
    }

    public UserState withWriter(long run) {
        return run == writtenBy ? this : new UserState(contactId, identityTime, identitySource, identityPosition, cohorts,
                lastActiveMillis, expiryTimerMillis, run);
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.userstate.CohortMark;
import dev.audiencemirror.userstate.UserState;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each user's contact ID and activated cohorts ({@link UserState}, one value per user) and
 * says, for every record that changes them, whether this user puts each affected (contact, list)
 * there ({@link ListChange} ADD) or not (REMOVE). The net diff downstream keeps, per (contact,
 * list), the users that put the contact there: it is on the list while there is at least one.
 *
 * <p><b>Event time.</b> Per (user, cohort) the latest event by event time wins: an event that is
 * not strictly newer than the one state holds for that cohort is ignored (a tie keeps the current
 * one). Per user the latest identity record by event time wins; on the same event time the record
 * later in its input wins ({@link UserState#identityIsOlderThan}). So the membership a user ends
 * with does not depend on the order records arrive in.
 *
 * <p><b>What a record emits.</b> A user's requests are facts about that user ("u holds (c, l)" or
 * "u does not"), so repeating one changes nothing downstream; a record emits only what may change
 * what the diff knows of the user. An accepted event requests its cohort's list for the user's
 * contact when the user's word on that list changes, and always for the user's first event of a
 * cohort. An identity record that changes the contact releases the old one from <em>every</em>
 * activated list and requests, for the new one, every list of the user's known cohorts; an
 * identity record that arrives late (older than the one held) but names another contact has that
 * contact released everywhere too. A user without a contact ID is held: cohorts are recorded and
 * nothing is requested.
 *
 * <p><b>After a restore</b> the records since the checkpoint are replayed, identities and events
 * possibly interleaved differently from the first time, so a (contact, list) the first run sent
 * something for may not change at all in the replay. Each user's state therefore records the run
 * that wrote it ({@link UserState#writtenBy}); the first record of a user whose state another run
 * wrote first re-asserts the user's word on every list of their known cohorts. With that, every
 * (contact, list) the first run may have changed for the user is requested again: the contact
 * held at the checkpoint on the lists of known cohorts by the re-assertion, a cohort first seen
 * since by its first event, and any other contact by the identity rules above (they cover both the
 * old and the new contact, whichever order the replay brings). The net diff re-sends the first
 * window of each key after a restore, so the destination ends as the records say.
 *
 * <p><b>Inactive users</b> (optional, {@code stream.user-ttl}): a processing-time timer fires once
 * the user has had no record for the TTL; it releases every list the user holds and then drops the
 * user's state. A record after that starts the user afresh.
 *
 * <p><b>Migration</b> ({@link #reassert}): when restored from state written before the diff kept
 * its holders, {@link UserMembershipOperator} has every user request their lists once.
 */
final class UserMembership extends KeyedCoProcessFunction<String, PositionedIdentity, MembershipEvent, ListChange> {
    private static final long serialVersionUID = 1L;

    /** State name; part of savepoints together with the operator uid {@code user-membership}. */
    static final String STATE = "user";

    private final Activations activations;
    private final String aliasTag;
    private final long ttlMillis;

    private transient ValueState<UserState> users;
    /** This run of this subtask; never 0, which is "written before runs were recorded". */
    private transient long runId;
    private transient Counter staleEvents;
    private transient Counter staleIdentities;
    private transient Counter requests;
    private transient Counter expiredUsers;

    /** @param ttl how long a user may be inactive before removal; empty = never */
    UserMembership(Map<String, Long> activations, String aliasTag, Optional<Duration> ttl) {
        this.activations = new Activations(activations);
        this.aliasTag = aliasTag;
        this.ttlMillis = ttl.map(Duration::toMillis).orElse(0L);
    }

    @Override
    public void open(OpenContext context) {
        users = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, TypeInformation.of(UserState.class)));
        runId = RunIds.next();
        var metrics = getRuntimeContext().getMetricGroup();
        staleEvents = metrics.counter("staleEvents");
        staleIdentities = metrics.counter("staleIdentities");
        requests = metrics.counter("listChangesRequested");
        expiredUsers = metrics.counter("expiredUsers");
    }

    @Override
    public void processElement1(PositionedIdentity p, Context ctx, Collector<ListChange> out) throws Exception {
        String user = ctx.getCurrentKey();
        IdentityRecord r = p.record();
        UserState before = current(user, out);
        UserState after = before;
        String contact = r.contactIdFor(aliasTag).orElse(null);
        long time = r.time().toEpochMilli();
        if (!before.identityIsOlderThan(r.time(), p.source(), p.position())) {
            staleIdentities.inc();
            if (contact != null && !contact.equals(before.contactId())) {
                releaseEverywhere(user, contact, time, out);
            }
        } else {
            after = before.withIdentity(contact, r.time(), p.source(), p.position());
            String old = before.contactId();
            if (!Objects.equals(old, contact)) {
                if (old != null) {
                    releaseEverywhere(user, old, time, out);
                }
                requestLists(user, after, time, out);
            }
        }
        save(before, after, ctx);
    }

    @Override
    public void processElement2(MembershipEvent e, Context ctx, Collector<ListChange> out) throws Exception {
        Long list = activations.listOf(e.segmentId());
        if (list == null) {
            return; // filtered out before keying (ParseEvents); kept safe for other callers
        }
        String user = ctx.getCurrentKey();
        UserState before = current(user, out);
        UserState after = before;
        if (e.byAlias() && before.contactId() == null) {
            after = after.withContact(e.aliasId()); // the key is the contact alias: see UserKeys
        }
        CohortMark held = after.mark(e.segmentId());
        if (held != null && !held.isOlderThan(e.time())) {
            staleEvents.inc();
        } else {
            UserState marked = after.withCohort(e.segmentId(), new CohortMark(e.entry(), e.time()));
            long time = e.time().toEpochMilli();
            if (marked.contactId() == null) {
                // held: nothing to request
            } else if (before.contactId() == null) {
                requestLists(user, marked, time, out); // the contact is new: all of the user's lists
            } else {
                ListAction now = desired(marked, list);
                if (held == null || now != desired(after, list)) {
                    request(marked.contactId(), list, user, now, time, out);
                }
            }
            after = marked;
        }
        save(before, after, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ListChange> out) throws Exception {
        UserState s = users.value();
        if (s == null || s.expiryTimerMillis() != timestamp) {
            return; // not this user's current timer
        }
        if (ttlMillis == 0) {
            users.update(s.withExpiryTimer(0)); // TTL switched off since the timer was set
            return;
        }
        long due = s.lastActiveMillis() + ttlMillis;
        if (due > timestamp) {
            // Active since the timer was set: one timer per user, moved on when it fires.
            ctx.timerService().registerProcessingTimeTimer(due);
            users.update(s.withExpiryTimer(due));
            return;
        }
        if (s.contactId() != null) {
            for (long list : activations.listsOf(s.cohorts().keySet())) {
                if (desired(s, list) == ListAction.ADD) {
                    request(s.contactId(), list, ctx.getCurrentKey(), ListAction.REMOVE, timestamp, out);
                }
            }
        }
        users.clear();
        expiredUsers.inc();
    }

    /**
     * Requests every list of the current user's known cohorts as the state says, without changing
     * it: the migration from state in which the net diff did not keep holders. The key must be set.
     */
    void reassert(String user, Collector<ListChange> out) throws Exception {
        UserState s = users.value();
        if (s != null) {
            requestLists(user, s, latestTime(s), out);
        }
    }

    /**
     * The current user's state; if another run wrote it (a restore), first re-asserts the user's word
     * on the lists of their known cohorts ({@link #reassert}'s requests), once per user and run.
     */
    private UserState current(String user, Collector<ListChange> out) throws Exception {
        UserState s = users.value();
        if (s == null) {
            return UserState.EMPTY;
        }
        if (s.writtenBy() != runId) {
            requestLists(user, s, latestTime(s), out);
        }
        return s;
    }

    private static long latestTime(UserState s) {
        long time = s.identityTime() == null ? 0 : s.identityTime().toEpochMilli();
        for (CohortMark m : s.cohorts().values()) {
            time = Math.max(time, m.time().toEpochMilli());
        }
        return time;
    }

    /** On the list while in any cohort activated to it. */
    private ListAction desired(UserState s, long list) {
        for (var e : s.cohorts().entrySet()) {
            if (e.getValue().in() && Long.valueOf(list).equals(activations.listOf(e.getKey()))) {
                return ListAction.ADD;
            }
        }
        return ListAction.REMOVE;
    }

    private void requestLists(String user, UserState s, long eventTimeMillis, Collector<ListChange> out) {
        if (s.contactId() != null) {
            for (long list : activations.listsOf(s.cohorts().keySet())) {
                request(s.contactId(), list, user, desired(s, list), eventTimeMillis, out);
            }
        }
    }

    private void releaseEverywhere(String user, String contact, long eventTimeMillis, Collector<ListChange> out) {
        for (long list : activations.lists()) {
            request(contact, list, user, ListAction.REMOVE, eventTimeMillis, out);
        }
    }

    private void request(String contact, long list, String user, ListAction action, long eventTimeMillis,
            Collector<ListChange> out) {
        requests.inc();
        out.collect(new ListChange(contact, list, user, action, eventTimeMillis));
    }

    /** Writes the user back, and with a TTL records the activity and makes sure a timer is set. */
    private void save(UserState before, UserState after, Context ctx) throws Exception {
        if (ttlMillis > 0) {
            long now = ctx.timerService().currentProcessingTime();
            after = after.activeAt(now);
            if (after.expiryTimerMillis() == 0) {
                ctx.timerService().registerProcessingTimeTimer(now + ttlMillis);
                after = after.withExpiryTimer(now + ttlMillis);
            }
        }
        after = after.withWriter(runId); // the user's word has been given in this run
        if (after != before) {
            users.update(after);
        }
    }
}

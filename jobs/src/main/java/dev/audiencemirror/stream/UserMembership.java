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
 * "u does not"), so repeating one changes nothing downstream. An accepted event requests its
 * cohort's list for the user's contact. An accepted identity record requests, for the new contact,
 * every list of the user's known cohorts. When the contact changes, the old one is released from
 * <em>every</em> activated list, and an identity record that arrives late (older than the one held)
 * but names another contact has that contact released everywhere too. The requests cover more
 * than what changed, deliberately: after a restore the records since the checkpoint are replayed,
 * identities and events possibly interleaved differently from the first time. Every (contact,
 * list) the first run sent something for after the checkpoint is requested again by the replay
 * (the emissions above do not depend on the interleaving for that), so its net diff re-sends the
 * final answer. A user without a contact ID is held: cohorts are recorded and nothing is requested.
 *
 * <p><b>Inactive users</b> (optional, {@code stream.user-ttl}): a processing-time timer fires once
 * the user has had no record for the TTL; it releases every list the user holds and then drops the
 * user's state. A record after that starts the user afresh.
 *
 * <p><b>Re-assertion</b> ({@link #reassert}): when restored from state written before the diff
 * kept its holders, {@link UserMembershipOperator} has every user request their lists once.
 */
final class UserMembership extends KeyedCoProcessFunction<String, PositionedIdentity, MembershipEvent, ListChange> {
    private static final long serialVersionUID = 1L;

    /** State name; part of savepoints together with the operator uid {@code user-membership}. */
    static final String STATE = "user";

    private final Activations activations;
    private final String aliasTag;
    private final long ttlMillis;

    private transient ValueState<UserState> users;
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
        UserState before = current();
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
            if (old != null && !old.equals(contact)) {
                releaseEverywhere(user, old, time, out);
            }
            requestLists(user, after, time, out);
        }
        save(before, after, ctx);
    }

    @Override
    public void processElement2(MembershipEvent e, Context ctx, Collector<ListChange> out) throws Exception {
        Long list = activations.listOf(e.segmentId());
        if (list == null) {
            return; // filtered out before keying (ParseEvents); kept safe for other callers
        }
        UserState before = current();
        UserState after = before;
        if (e.byAlias() && before.contactId() == null) {
            after = after.withContact(e.aliasId()); // the key is the contact alias: see UserKeys
        }
        CohortMark held = after.mark(e.segmentId());
        if (held != null && !held.isOlderThan(e.time())) {
            staleEvents.inc();
        } else {
            after = after.withCohort(e.segmentId(), new CohortMark(e.entry(), e.time()));
            if (after.contactId() != null) {
                request(after.contactId(), list, ctx.getCurrentKey(), desired(after, list), e.time().toEpochMilli(), out);
            }
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
            long time = s.identityTime() == null ? 0 : s.identityTime().toEpochMilli();
            for (CohortMark m : s.cohorts().values()) {
                time = Math.max(time, m.time().toEpochMilli());
            }
            requestLists(user, s, time, out);
        }
    }

    private UserState current() throws Exception {
        UserState s = users.value();
        return s == null ? UserState.EMPTY : s;
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
        if (after != before) {
            users.update(after);
        }
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.IdentityRecord;
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
 * says, for every record that changes them, what each affected (contact, list) should now be.
 * The net diff downstream decides what is actually sent.
 *
 * <p><b>Event time.</b> Per (user, cohort) the latest event by event time wins: an event that is
 * not strictly newer than the one state holds for that cohort is ignored (a tie keeps the current
 * one). Per user the latest identity record by event time wins, with the same tie rule. So the
 * membership a user ends with does not depend on the order records arrive in.
 *
 * <p><b>Contact IDs.</b> A user without a contact ID is held: cohorts are recorded and nothing is
 * requested. When the contact appears, every list of the user's known cohorts is requested (ADD
 * for the lists of cohorts they are in). When it changes, the old contact is removed from
 * <em>every</em> activated list, not only the user's current ones, and the new one gets the
 * user's lists. An identity record that arrives late (older than the one held) but names another
 * contact gets the same removal for that contact. Both "too many" removals are deliberate: after
 * a restore the records since the checkpoint may be replayed in another order than the first
 * time (identities and events are separate inputs), and an ADD sent for a transient contact
 * before the failure would otherwise be left on a list. Removals of contacts that are not on a
 * list are no-ops at Adestra.
 *
 * <p><b>Re-requests.</b> Every accepted record requests its lists even when nothing changed for
 * them; the diff drops what equals the last operation sent. After a restore, that is what
 * re-asserts a list the first run changed after the checkpoint.
 *
 * <p><b>Inactive users</b> (optional, {@code stream.user-ttl}): a processing-time timer fires once
 * the user has had no record for the TTL; it requests REMOVE for every list the user is on and
 * then drops the user's state. A record after that starts the user afresh.
 *
 * <p>Assumes one contact ID belongs to one user at a time (several users with the same contact
 * would overwrite each other's requests for it).
 */
final class UserMembership extends KeyedCoProcessFunction<String, IdentityRecord, MembershipEvent, ListChange> {
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
    public void processElement1(IdentityRecord r, Context ctx, Collector<ListChange> out) throws Exception {
        UserState before = current();
        UserState after = before;
        String contact = r.contactIdFor(aliasTag).orElse(null);
        long time = r.time().toEpochMilli();
        if (before.identityTime() != null && !r.time().isAfter(before.identityTime())) {
            staleIdentities.inc();
            if (contact != null && !contact.equals(before.contactId())) {
                removeEverywhere(contact, time, out);
            }
        } else {
            after = before.withContact(contact, r.time());
            String old = before.contactId();
            if (old != null && !old.equals(contact)) {
                removeEverywhere(old, time, out);
            }
            if (contact != null) {
                for (long list : activations.listsOf(after.cohorts().keySet())) {
                    request(contact, list, desired(after, list), time, out);
                }
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
        UserState before = current();
        UserState after = before;
        if (e.byAlias() && before.contactId() == null) {
            after = after.withContact(e.aliasId(), null); // the key is the contact alias: see UserKeys
        }
        CohortMark held = after.mark(e.segmentId());
        if (held != null && !held.isOlderThan(e.time())) {
            staleEvents.inc();
        } else {
            after = after.withCohort(e.segmentId(), new CohortMark(e.entry(), e.time()));
            if (after.contactId() != null) {
                request(after.contactId(), list, desired(after, list), e.time().toEpochMilli(), out);
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
                    request(s.contactId(), list, ListAction.REMOVE, timestamp, out);
                }
            }
        }
        users.clear();
        expiredUsers.inc();
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

    private void removeEverywhere(String contact, long eventTimeMillis, Collector<ListChange> out) {
        for (long list : activations.lists()) {
            request(contact, list, ListAction.REMOVE, eventTimeMillis, out);
        }
    }

    private void request(String contact, long list, ListAction action, long eventTimeMillis, Collector<ListChange> out) {
        requests.inc();
        out.collect(new ListChange(contact, list, action, eventTimeMillis));
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

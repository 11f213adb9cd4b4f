package dev.audiencemirror.nightly;

import dev.audiencemirror.files.TaggedLine;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins, per user, the contact ID from the identity snapshot with the lists of the user's
 * activated cohorts, giving today's target (contact, list) pairs. In batch mode a user's records
 * arrive together and the end-of-key timer fires once they are all in, whatever their order.
 *
 * <p>Unknown is not absent: a user with a rejected identity line adds nothing and holds every
 * pair the last snapshot gave them (their contact today is unknown); a user with a rejected
 * membership line still adds from their good lines, and holds the pairs of the snapshot under
 * their old and new contact (which list the bad line named is unknown). A held pair is neither
 * added nor removed ({@link ListDiff}); held users are listed as {@code user<TAB>reason} in the
 * run's {@code held-users/}. Each user on a list is remembered in the new snapshot ({@link SnapshotUser}).
 *
 * <p>For the lists the streaming job writes, nothing is paired: each user gets one membership
 * assertion for that job ({@link Handoff}), written to the run's {@code handoff/}, and the users
 * it has in some cohort are remembered in the new snapshot ({@code handed-off/}).
 *
 * <p>Users in activated cohorts without a contact ID are listed in the run's {@code unmatched-users/} and counted:
 * they cannot be on a list, and are the first thing to check when "users are missing".
 */
final class UserListJoin extends KeyedProcessFunction<String, UserInput, ContactFlags> {
    private static final long serialVersionUID = 1L;

    static final String UNMATCHED_COUNTER = "users.without-contact";
    static final String HELD_IDENTITY_COUNTER = "users.held.identity-rejected";
    static final String HELD_MEMBERSHIP_COUNTER = "users.held.membership-rejected";
    static final String HELD_IDENTITY_REASON = "held: identity line rejected";
    static final String HELD_MEMBERSHIP_REASON = "held: membership line rejected";

    private static final byte IDENTITY_BAD = 1;
    private static final byte MEMBERSHIP_BAD = 2;

    private final Handoff handoff;

    private transient ValueState<UserInput> identity;
    private transient ListState<String> cohorts;
    private transient ListState<String> handedOffBefore;
    private transient Map<String, LongCounter> handoffCounters;
    private transient ValueState<String> previousContact;
    private transient ValueState<Byte> held;
    private transient ListState<Long> lists;
    private transient ListState<Long> previousLists;
    private transient LongCounter unmatched;
    private transient LongCounter heldIdentity;
    private transient LongCounter heldMembership;

    /** @param handoff what to hand the streaming job, or null when it writes none of this run's lists */
    UserListJoin(Handoff handoff) {
        this.handoff = handoff;
    }

    @Override
    public void open(OpenContext context) {
        identity = getRuntimeContext().getState(new ValueStateDescriptor<>("identity", TypeInformation.of(UserInput.class)));
        cohorts = getRuntimeContext().getListState(new ListStateDescriptor<>("cohorts", Types.STRING));
        handedOffBefore = getRuntimeContext().getListState(new ListStateDescriptor<>("handed-off-before", Types.STRING));
        handoffCounters = new HashMap<>();
        if (handoff != null) {
            handoffCounters.put(Handoff.ASSERTIONS, getRuntimeContext().getLongCounter(Handoff.ASSERTIONS));
            for (String c : handoff.cohorts()) {
                for (String what : List.of("in", "before", "leaving")) {
                    String name = Handoff.counter(c, what);
                    handoffCounters.put(name, getRuntimeContext().getLongCounter(name));
                }
            }
        }
        previousContact = getRuntimeContext().getState(new ValueStateDescriptor<>("previous-contact", Types.STRING));
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("held", Types.BYTE));
        lists = getRuntimeContext().getListState(new ListStateDescriptor<>("lists", Types.LONG));
        previousLists = getRuntimeContext().getListState(new ListStateDescriptor<>("previous-lists", Types.LONG));
        unmatched = getRuntimeContext().getLongCounter(UNMATCHED_COUNTER);
        heldIdentity = getRuntimeContext().getLongCounter(HELD_IDENTITY_COUNTER);
        heldMembership = getRuntimeContext().getLongCounter(HELD_MEMBERSHIP_COUNTER);
    }

    @Override
    public void processElement(UserInput in, Context ctx, Collector<ContactFlags> out) throws Exception {
        switch (in.kind()) {
            case UserInput.IDENTITY -> {
                // Several identity lines for one user: the stream's rule picks one, whichever order
                // the readers of a split file deliver them in.
                if (in.replaces(identity.value())) {
                    identity.update(in);
                }
            }
            case UserInput.MEMBERSHIP -> {
                for (long list : in.lists()) {
                    lists.add(list);
                }
            }
            case UserInput.COHORT -> cohorts.add(in.cohort());
            case UserInput.HANDED_OFF -> handedOffBefore.add(in.cohort());
            case UserInput.PREVIOUS -> {
                previousContact.update(in.contactId());
                for (long list : in.lists()) {
                    previousLists.add(list);
                }
            }
            case UserInput.HELD_IDENTITY -> held.update((byte) (flags() | IDENTITY_BAD));
            case UserInput.HELD_MEMBERSHIP -> held.update((byte) (flags() | MEMBERSHIP_BAD));
            default -> throw new IllegalStateException("unknown input kind " + in.kind());
        }
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    private byte flags() throws Exception {
        Byte b = held.value();
        return b == null ? 0 : b;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactFlags> out) throws Exception {
        String user = ctx.getCurrentKey();
        UserInput id = identity.value();
        String contactId = id == null ? null : id.contactId();
        String before = previousContact.value();
        Set<Long> targets = distinct(lists.get());
        Set<Long> beforeLists = distinct(previousLists.get());
        byte bad = flags();
        if (handoff != null) {
            handOff(user, bad != 0, id, ctx);
        }

        if ((bad & IDENTITY_BAD) != 0) {
            heldIdentity.add(1);
            ctx.output(PlanOutputs.REPORT, new TaggedLine(PlanOutputs.HELD_USERS, user + "\t" + HELD_IDENTITY_REASON));
            if (before != null) {
                hold(before, beforeLists, out);
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.USERS, SnapshotUser.of(user, before, beforeLists).encode()));
            }
            return;
        }
        boolean membershipBad = (bad & MEMBERSHIP_BAD) != 0;
        if (membershipBad) {
            heldMembership.add(1);
            ctx.output(PlanOutputs.REPORT, new TaggedLine(PlanOutputs.HELD_USERS, user + "\t" + HELD_MEMBERSHIP_REASON));
            if (before != null) {
                hold(before, beforeLists, out);
            }
        }
        if (contactId == null) {
            if (!targets.isEmpty()) {
                unmatched.add(1);
                ctx.output(PlanOutputs.REPORT, new TaggedLine(PlanOutputs.UNMATCHED_USERS, user));
            }
            if (membershipBad && before != null) {
                ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.USERS, SnapshotUser.of(user, before, beforeLists).encode()));
            }
            return;
        }
        if (!targets.isEmpty()) {
            out.collect(ContactFlags.of(contactId, targets, ContactFlags.TARGET));
        }
        if (membershipBad) {
            hold(contactId, beforeLists, out);
            Set<Long> kept = new LinkedHashSet<>(targets);
            kept.addAll(beforeLists);
            ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.USERS, SnapshotUser.of(user, contactId, kept).encode()));
        } else if (!targets.isEmpty()) {
            ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.USERS, SnapshotUser.of(user, contactId, targets).encode()));
        }
    }

    /**
     * The user's assertion for the streaming job, unless a line about them could not be read (then
     * nothing is asserted, and the last hand-off is remembered as it was). A user the last hand-off
     * had in a cohort and today's export does not name at all is asserted out of everything.
     */
    private void handOff(String user, boolean held, UserInput id, OnTimerContext ctx) throws Exception {
        Set<String> before = distinct(handedOffBefore.get());
        Set<String> now = held ? before : distinct(cohorts.get());
        if (!now.isEmpty()) {
            ctx.output(PlanOutputs.BASELINE, new TaggedLine(PlanOutputs.HANDED_OFF, Handoff.handedOffLine(user, now)));
        }
        if (held) {
            return;
        }
        if (id == null && now.isEmpty() && before.isEmpty()) {
            return;
        }
        ctx.output(PlanOutputs.REPORT, new TaggedLine(PlanOutputs.HANDOFF, handoff.assertion(user, now, id).toJson()));
        handoffCounters.get(Handoff.ASSERTIONS).add(1);
        now.forEach(c -> handoffCounters.get(Handoff.counter(c, "in")).add(1));
        for (String c : before) {
            handoffCounters.get(Handoff.counter(c, "before")).add(1);
            if (!now.contains(c)) {
                handoffCounters.get(Handoff.counter(c, "leaving")).add(1);
            }
        }
    }

    private static void hold(String contactId, Set<Long> lists, Collector<ContactFlags> out) {
        if (!lists.isEmpty()) {
            out.collect(ContactFlags.of(contactId, lists, ContactFlags.HELD));
        }
    }

    private static <T> Set<T> distinct(Iterable<T> values) {
        Set<T> out = new LinkedHashSet<>();
        if (values != null) {
            values.forEach(out::add);
        }
        return out;
    }
}

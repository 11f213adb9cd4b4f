package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.Alias;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The keyed stage ({@code user-membership} into {@code net-list-diff}, on Flink's harnesses) fails
 * and restores at random points, and the destination still ends as the records say.
 *
 * <p>Per seed: a few users sharing a few contacts, identity records (some without a contact, some
 * tying in time) and entry/exit events. A first run processes some records and checkpoints; then
 * each later run processes the records after its checkpoint in a new random order (a replay may
 * interleave identities and events differently), closes windows at random moments, and fails
 * after a random number of records, possibly after another checkpoint. The last run processes
 * everything and ends its input. Expected: computed from the records alone, without the job's code.
 *
 * <p>The operations go to {@link SinkModel}, the Adestra sink as it behaves in production, not an
 * ideal one: the destination applies whatever lands last, without versions; a checkpoint stores each
 * key's newest unacknowledged operation and flushes nothing; calls open when a run fails are lost,
 * land then, or land later, after the restored run has sent; the restored run re-sends what it
 * restored, and what it acknowledges inside the restore's fence is sent once more after the settle
 * delay. {@code PendingOperationsLateApplyTest} holds the sink's own bookkeeping to that rule, with
 * late applies inside a run too.
 */
class KeyedStageRestoreTest {
    private static final int SEEDS = Integer.getInteger("keyedstage.seeds", 2000);
    private static final long FIRST_SEED = Long.getLong("keyedstage.seed", 1);
    private static final boolean TRACE = Boolean.getBoolean("keyedstage.trace");
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 679L);
    private static final List<String> COHORTS = List.of("c1", "c2", "c3");
    private static final Instant T = Instant.parse("2026-11-27T00:00:00Z");

    /** A record as it sits in its input: identities at a position, events by event time. */
    private record Rec(PositionedIdentity identity, MembershipEvent event) {}

    @Test
    void theDestinationEndsAsTheRecordsSayThroughFailuresAndReplaysInAnyOrder() throws Exception {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            runSeed(seed);
        }
        if (SEEDS >= 100) { // the windows the sink model is about are reached, or it proves nothing
            assertThat(SinkModel.lateAfterNewer).as("calls of a failed attempt that landed after a newer operation").isPositive();
            assertThat(SinkModel.resent).as("operations sent once more after the settle delay").isPositive();
        }
    }

    private void runSeed(long seed) throws Exception {
        Random r = new Random(seed);
        int users = 2 + r.nextInt(5);
        int contacts = 1 + r.nextInt(3);
        List<Rec> records = new ArrayList<>();
        long line = 0;
        TreeSet<Long> usedEventTimes = new TreeSet<>();
        int n = 10 + r.nextInt(50);
        for (int i = 0; i < n; i++) {
            String user = "u" + r.nextInt(users);
            if (r.nextInt(4) == 0) {
                List<Alias> aliases = r.nextInt(8) == 0 ? List.of(new Alias("email", "x@y", 0))
                        : List.of(new Alias("adestra", Integer.toString(4700 + r.nextInt(contacts)), 1));
                IdentityRecord id = new IdentityRecord(user, aliases, T.plusSeconds(r.nextInt(20))); // ties happen
                records.add(new Rec(new PositionedIdentity(id, "ids", ++line), null));
            } else {
                long t;
                do {
                    t = r.nextInt(100_000); // distinct: a tie between an entry and an exit has no answer
                } while (!usedEventTimes.add(t));
                MembershipEvent e = MembershipEvent.forUser(user, COHORTS.get(r.nextInt(3)), r.nextBoolean(),
                        T.plusMillis(t));
                records.add(new Rec(null, e));
            }
        }
        Collections.shuffle(records, r);

        Map<ListKey, ListOperation> destination = new HashMap<>();
        Clock clock = new Clock();
        Stage stage = Stage.start(null, clock, new SinkModel(destination, r, Map.of(), List.of()));
        int checkpointedUpTo = r.nextInt(records.size() + 1);
        for (int i = 0; i < checkpointedUpTo; i++) {
            stage.process(records.get(i), r, clock);
        }
        Checkpoint checkpoint = stage.checkpoint(1);
        int checkpointId = 1;
        int failures = 1 + r.nextInt(3);
        for (int run = 0; run <= failures; run++) {
            boolean last = run == failures;
            List<ListOperation> stillOpen = stage.sink.fail();
            stage.close();
            if (TRACE) {
                System.out.println("-- restore from checkpoint " + checkpointId + " (records up to " + checkpointedUpTo
                        + "), calls still open: " + stillOpen);
            }
            stage = Stage.start(checkpoint, clock, new SinkModel(destination, r, checkpoint.sink(), stillOpen));
            List<Rec> replay = new ArrayList<>(records.subList(checkpointedUpTo, records.size()));
            Collections.shuffle(replay, r);
            int failAfter = last ? replay.size() : r.nextInt(replay.size() + 1);
            int checkpointAt = !last && r.nextBoolean() ? r.nextInt(failAfter + 1) : -1;
            for (int i = 0; i <= failAfter; i++) {
                if (i == checkpointAt) {
                    // The input's position moves past what this run has read so far.
                    checkpoint = stage.checkpoint(++checkpointId);
                    List<Rec> inOrder = new ArrayList<>(records.subList(0, checkpointedUpTo));
                    inOrder.addAll(replay);
                    records = inOrder;
                    checkpointedUpTo += i;
                }
                if (i < failAfter) {
                    stage.process(replay.get(i), r, clock);
                }
            }
        }
        stage.endInput(clock);
        stage.close();

        TreeSet<String> actual = new TreeSet<>();
        destination.forEach((k, op) -> {
            if (op.action() == ListAction.ADD) {
                actual.add(k.contactId() + "@" + k.listId());
            }
        });
        assertThat(actual).as("seed %d: contacts on lists", seed).isEqualTo(expected(records));
    }

    /** From the records alone: latest identity per user, latest event per (user, cohort). */
    private static TreeSet<String> expected(List<Rec> records) {
        Map<String, PositionedIdentity> identity = new HashMap<>();
        Map<String, MembershipEvent> latest = new HashMap<>();
        for (Rec rec : records) {
            if (rec.identity != null) {
                PositionedIdentity p = rec.identity;
                identity.merge(p.record().userId(), p, (a, b) -> {
                    int c = a.record().time().compareTo(b.record().time());
                    return c != 0 ? (c > 0 ? a : b) : (a.position() > b.position() ? a : b);
                });
            } else {
                MembershipEvent e = rec.event;
                latest.merge(e.userId() + "/" + e.segmentId(), e, (a, b) -> a.time().isAfter(b.time()) ? a : b);
            }
        }
        TreeSet<String> out = new TreeSet<>();
        for (MembershipEvent e : latest.values()) {
            PositionedIdentity p = identity.get(e.userId());
            if (e.entry() && p != null) {
                p.record().aliases().stream().filter(a -> a.tag().equals("adestra")).findFirst()
                        .ifPresent(a -> out.add(a.id() + "@" + ACTIVATIONS.get(e.segmentId())));
            }
        }
        return out;
    }

    /** Processing time: only moves forward, across runs too. */
    private static final class Clock {
        long now = 1_000_000;
    }

    /** The operators' state and the sink's, taken at one barrier. */
    private record Checkpoint(OperatorSubtaskState users, OperatorSubtaskState diff, Map<ListKey, ListOperation> sink) {}

    /** One run of the two operators, the first's requests fed to the second as they come, the second's to the sink. */
    private static final class Stage {
        final KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> users;
        final KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> diff;
        final SinkModel sink;

        private Stage(KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> users,
                KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> diff, SinkModel sink) {
            this.users = users;
            this.diff = diff;
            this.sink = sink;
        }

        static Stage start(Checkpoint from, Clock clock, SinkModel sink) throws Exception {
            var users = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new UserMembershipOperator(new UserMembership(ACTIVATIONS, "adestra", Optional.empty())),
                    UserKeys::of, UserKeys::of, Types.STRING);
            var diff = new KeyedOneInputStreamOperatorTestHarness<>(
                    new NetListDiffOperator(new NetListDiff(Duration.ofSeconds(1), Optional.empty())), ListChange::key,
                    TypeInformation.of(ListKey.class));
            users.setup();
            diff.setup();
            if (from != null) {
                users.initializeState(from.users());
                diff.initializeState(from.diff());
            }
            users.open();
            diff.open();
            users.setProcessingTime(clock.now);
            diff.setProcessingTime(clock.now);
            return new Stage(users, diff, sink);
        }

        void process(Rec rec, Random r, Clock clock) throws Exception {
            if (TRACE) {
                System.out.println("  " + (rec.identity != null ? rec.identity : rec.event));
            }
            if (rec.identity != null) {
                users.processElement1(new StreamRecord<>(rec.identity));
            } else {
                users.processElement2(new StreamRecord<>(rec.event));
            }
            for (ListChange c : users.extractOutputValues()) {
                if (TRACE) {
                    System.out.println("    -> " + c);
                }
                diff.processElement(new StreamRecord<>(c));
            }
            users.getOutput().clear();
            clock.now += r.nextInt(4) == 0 ? 1000 : r.nextInt(300);
            diff.setProcessingTime(clock.now);
            deliver();
            sink.step();
        }

        Checkpoint checkpoint(long id) throws Exception {
            OperatorSubtaskState u = users.snapshot(id, clock());
            diff.prepareSnapshotPreBarrier(id);
            OperatorSubtaskState d = diff.snapshot(id, clock());
            deliver(); // emitted before the barrier: the sink has them when it takes its state
            return new Checkpoint(u, d, sink.state());
        }

        void endInput(Clock clock) throws Exception {
            clock.now += 5000;
            diff.setProcessingTime(clock.now);
            diff.endInput();
            deliver();
            sink.finish();
        }

        private long clock() {
            return diff.getProcessingTime();
        }

        private void deliver() {
            for (ListOperation op : diff.extractOutputValues()) {
                if (TRACE) {
                    System.out.println("      op " + op);
                }
                sink.offer(op);
            }
            diff.getOutput().clear();
        }

        void close() throws Exception {
            users.close();
            diff.close();
        }
    }

    /**
     * One attempt of the Adestra sink, in steps (one per record processed): per key at most one
     * call open and the newest operation waiting, an older operation than the key holds dropped,
     * calls answered at random steps. A restored attempt starts with the stored operations waiting,
     * and the failed attempt's open calls may land during its first {@link #FENCE} steps (the settle
     * delay, which the connector picks to outlast any late apply); an operation it acknowledges in
     * that time is sent once more {@link #FENCE} steps later unless a newer one came.
     */
    private static final class SinkModel {
        static final int FENCE = 20;
        static long lateAfterNewer;
        static long resent;

        private record Stray(ListOperation op, int landsAt) {}

        private record Settling(ListOperation op, int endsAt) {}

        final Map<ListKey, ListOperation> destination;
        final Random r;
        final Map<ListKey, ListOperation> inFlight = new HashMap<>();
        final Map<ListKey, Integer> sentAt = new HashMap<>();
        final Map<ListKey, ListOperation> next = new HashMap<>();
        final Map<ListKey, Settling> settling = new HashMap<>();
        final List<Stray> strays = new ArrayList<>();
        /** Calls sent before this step may be undone by a call the failed attempt left open. */
        final int fenceEnd;
        int step;

        SinkModel(Map<ListKey, ListOperation> destination, Random r, Map<ListKey, ListOperation> restored,
                List<ListOperation> strayCalls) {
            this.destination = destination;
            this.r = r;
            this.fenceEnd = restored.isEmpty() && strayCalls.isEmpty() ? 0 : FENCE;
            next.putAll(restored);
            strayCalls.forEach(op -> strays.add(new Stray(op, r.nextInt(FENCE))));
            send();
        }

        void offer(ListOperation op) {
            ListKey key = op.key();
            long newest = Long.MIN_VALUE;
            for (ListOperation held : new ListOperation[] {inFlight.get(key), next.get(key),
                    settling.containsKey(key) ? settling.get(key).op() : null}) {
                newest = held == null ? newest : Math.max(newest, held.version());
            }
            if (op.version() <= newest) {
                return; // a replayed older operation: sending it would undo a newer one
            }
            settling.remove(key);
            next.put(key, op);
            send();
        }

        /** Newest unfinished operation per key: what the operator writes to its state at a checkpoint. */
        Map<ListKey, ListOperation> state() {
            Map<ListKey, ListOperation> out = new HashMap<>();
            settling.forEach((k, s) -> out.put(k, s.op()));
            out.putAll(inFlight);
            out.putAll(next);
            return out;
        }

        /** The attempt fails: each open call is lost, has landed, or is still open and lands later. */
        List<ListOperation> fail() {
            List<ListOperation> open = new ArrayList<>();
            for (ListOperation op : inFlight.values()) {
                switch (r.nextInt(3)) {
                    case 0 -> { }
                    case 1 -> land(op);
                    default -> open.add(op);
                }
            }
            strays.forEach(s -> open.add(s.op())); // an earlier attempt's call can still be open too
            return open;
        }

        void step() {
            step++;
            strays.removeIf(s -> {
                if (s.landsAt() <= step) {
                    land(s.op());
                    return true;
                }
                return false;
            });
            for (ListKey key : new ArrayList<>(inFlight.keySet())) {
                if (r.nextInt(3) > 0) {
                    ListOperation op = inFlight.remove(key);
                    land(op);
                    if (sentAt.get(key) < fenceEnd && !next.containsKey(key)) { // else the newer one settles in turn
                        settling.put(key, new Settling(op, step + FENCE));
                    }
                }
            }
            settling.entrySet().removeIf(e -> {
                if (e.getValue().endsAt() <= step && !next.containsKey(e.getKey()) && !inFlight.containsKey(e.getKey())) {
                    next.put(e.getKey(), e.getValue().op());
                    resent++;
                    return true;
                }
                return false;
            });
            send();
        }

        /** Runs until every call has landed and nothing waits or settles, as the operator's end of input does. */
        void finish() {
            while (!inFlight.isEmpty() || !next.isEmpty() || !settling.isEmpty() || !strays.isEmpty()) {
                step();
            }
        }

        private void send() {
            for (ListKey key : new ArrayList<>(next.keySet())) {
                if (!inFlight.containsKey(key)) {
                    inFlight.put(key, next.remove(key));
                    sentAt.put(key, step);
                }
            }
        }

        private void land(ListOperation op) {
            if (TRACE) {
                System.out.println("      lands " + op);
            }
            ListOperation held = destination.get(op.key());
            if (held != null && held.version() > op.version()) {
                lateAfterNewer++;
            }
            destination.put(op.key(), op);
        }
    }
}

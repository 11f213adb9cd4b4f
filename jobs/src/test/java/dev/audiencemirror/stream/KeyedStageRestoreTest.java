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
 * after a random number of records, possibly after another checkpoint. Operations it emitted reach
 * the destination or are lost in flight at random. The last run processes everything and ends its
 * input. The destination applies an operation when its version is newer than the one it holds (as
 * the Adestra sink does). Expected: computed from the records alone, without the job's code.
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
        Stage stage = Stage.start(null, clock);
        int checkpointedUpTo = r.nextInt(records.size() + 1);
        for (int i = 0; i < checkpointedUpTo; i++) {
            stage.process(records.get(i), destination, r, clock, false);
        }
        OperatorSubtaskState[] checkpoint = stage.checkpoint(1, destination);
        int checkpointId = 1;
        int failures = 1 + r.nextInt(3);
        for (int run = 0; run <= failures; run++) {
            boolean last = run == failures;
            stage.fail(destination, r);
            stage.close();
            if (TRACE) {
                System.out.println("-- restore from checkpoint " + checkpointId + " (records up to " + checkpointedUpTo + ")");
            }
            stage = Stage.start(checkpoint, clock);
            List<Rec> replay = new ArrayList<>(records.subList(checkpointedUpTo, records.size()));
            Collections.shuffle(replay, r);
            int failAfter = last ? replay.size() : r.nextInt(replay.size() + 1);
            int checkpointAt = !last && r.nextBoolean() ? r.nextInt(failAfter + 1) : -1;
            for (int i = 0; i <= failAfter; i++) {
                if (i == checkpointAt) {
                    // The input's position moves past what this run has read so far.
                    checkpoint = stage.checkpoint(++checkpointId, destination);
                    List<Rec> inOrder = new ArrayList<>(records.subList(0, checkpointedUpTo));
                    inOrder.addAll(replay);
                    records = inOrder;
                    checkpointedUpTo += i;
                }
                if (i < failAfter) {
                    stage.process(replay.get(i), destination, r, clock, !last);
                }
            }
        }
        stage.endInput(destination, clock);
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

    /** One run of the two operators, the first's requests fed to the second as they come. */
    private static final class Stage {
        final KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> users;
        final KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> diff;
        final List<ListOperation> inFlight = new ArrayList<>();

        private Stage(KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> users,
                KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> diff) {
            this.users = users;
            this.diff = diff;
        }

        static Stage start(OperatorSubtaskState[] from, Clock clock) throws Exception {
            var users = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new UserMembershipOperator(new UserMembership(ACTIVATIONS, "adestra", Optional.empty())),
                    UserKeys::of, UserKeys::of, Types.STRING);
            var diff = new KeyedOneInputStreamOperatorTestHarness<>(
                    new NetListDiffOperator(new NetListDiff(Duration.ofSeconds(1), Optional.empty())), ListChange::key,
                    TypeInformation.of(ListKey.class));
            users.setup();
            diff.setup();
            if (from != null) {
                users.initializeState(from[0]);
                diff.initializeState(from[1]);
            }
            users.open();
            diff.open();
            users.setProcessingTime(clock.now);
            diff.setProcessingTime(clock.now);
            return new Stage(users, diff);
        }

        /** @param mayBeLost operations emitted now may never reach the destination (this run fails later) */
        void process(Rec rec, Map<ListKey, ListOperation> destination, Random r, Clock clock, boolean mayBeLost)
                throws Exception {
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
            deliver(destination, r, mayBeLost);
        }

        OperatorSubtaskState[] checkpoint(long id, Map<ListKey, ListOperation> destination) throws Exception {
            OperatorSubtaskState u = users.snapshot(id, clock());
            diff.prepareSnapshotPreBarrier(id);
            OperatorSubtaskState d = diff.snapshot(id, clock());
            deliver(destination, null, true);
            flushInFlight(destination); // the sink flushes before the checkpoint completes
            return new OperatorSubtaskState[] {u, d};
        }

        void endInput(Map<ListKey, ListOperation> destination, Clock clock) throws Exception {
            clock.now += 5000;
            diff.setProcessingTime(clock.now);
            diff.endInput();
            deliver(destination, null, false);
        }

        private long clock() {
            return diff.getProcessingTime();
        }

        /**
         * Operations the diff emitted go to the sink: when the run fails, each one still in flight
         * may or may not have reached the destination; a completed checkpoint waits for all of them.
         */
        private void deliver(Map<ListKey, ListOperation> destination, Random r, boolean mayBeLost) {
            for (ListOperation op : diff.extractOutputValues()) {
                if (TRACE) {
                    System.out.println("      op " + op);
                }
                if (mayBeLost) {
                    inFlight.add(op);
                } else {
                    apply(destination, op);
                }
            }
            diff.getOutput().clear();
        }

        private void flushInFlight(Map<ListKey, ListOperation> destination) {
            inFlight.forEach(op -> apply(destination, op));
            inFlight.clear();
        }

        /** The run fails: what was in flight reached the destination, or not. */
        void fail(Map<ListKey, ListOperation> destination, Random r) {
            inFlight.removeIf(op -> r.nextInt(3) == 0);
            flushInFlight(destination);
        }

        private static void apply(Map<ListKey, ListOperation> destination, ListOperation op) {
            destination.merge(op.key(), op, (held, next) -> next.version() > held.version() ? next : held);
        }

        void close() throws Exception {
            users.close();
            diff.close();
        }
    }
}

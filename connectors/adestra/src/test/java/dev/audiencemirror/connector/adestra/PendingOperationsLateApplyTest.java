package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.adestra.PendingOperations.RetryOutcome;
import dev.audiencemirror.connector.adestra.PendingOperations.Slot;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingOperations} driven as {@link AdestraSendOperator} drives it, against a server that
 * applies calls in any order and without versions, over many random seeds: calls answered, refused
 * with a 5xx that did or did not apply, or left without an answer and applied late (before the
 * settle delay after they were sent, the connector's stated assumption) or never; checkpoints that
 * store each key's newest unfinished operation; failures whose open calls keep landing while the
 * restored writer re-offers its state and the replayed operations. Expected: each key ends as its
 * last operation says, computed from the operations alone.
 *
 * <p>Times are in ticks: a request times out after {@link #TIMEOUT}, the settle delay is {@link #SETTLE}.
 */
class PendingOperationsLateApplyTest {
    private static final int SEEDS = Integer.getInteger("pendingmodel.seeds", 3000);
    private static final long TIMEOUT = 10;
    private static final long SETTLE = 30;
    private static final int MAX_IN_FLIGHT = 4;

    @Test
    void everyKeyEndsAsItsLastOperationSaysThroughLateAppliesAndFailovers() {
        Totals totals = new Totals();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run run = new Run(seed, SETTLE, totals);
            run.play();
            assertThat(run.wrongKeys()).as("seed %d: keys that do not end as their last operation says", seed).isEmpty();
        }
        // The model reaches the windows it is about, or it proves nothing.
        assertThat(totals.lateAfterNewer).as("late applies that landed after a newer operation was applied").isPositive();
        assertThat(totals.strayAfterRestore).as("calls of a failed attempt that landed after the restore sent").isPositive();
        System.out.printf("pending model: %d seeds, %d operations, %d re-sent after their settle delay (%.0f per 10,000),"
                + " %d late applies after a newer one, %d stray calls after a restore%n", SEEDS, totals.operations,
                totals.resent, 10_000.0 * totals.resent / totals.operations, totals.lateAfterNewer, totals.strayAfterRestore);
    }

    @Test
    void withoutTheSettleRuleTheSameWindowsLeaveKeysWrong() {
        int wrong = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Run run = new Run(seed, 0, new Totals());
            run.play();
            wrong += run.wrongKeys().isEmpty() ? 0 : 1;
        }
        assertThat(wrong).as("seeds of 300 that end wrong with the settle delay off").isPositive();
    }

    private static final class Totals {
        long operations;
        long resent;
        long lateAfterNewer;
        long strayAfterRestore;
    }

    private record Event(long at, long seq, Runnable action) {}

    /** One seed: a script of operations, checkpoints and failures, played against the server. */
    private static final class Run {
        final Random r;
        final long settle;
        final Totals totals;
        final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.seq, b.seq));
        long seq;
        long now;
        /** The operations the upstream emits, in order, with their times; a restore replays from the checkpoint. */
        final List<long[]> scriptTimes = new ArrayList<>();
        final List<ListOperation> script = new ArrayList<>();
        final Map<ListKey, ListAction> destination = new HashMap<>();
        /** Per key, the version of the operation the destination applied last. */
        final Map<ListKey, Long> appliedVersion = new HashMap<>();
        Writer writer;
        Map<ListKey, ListOperation> checkpointState = new HashMap<>();
        int checkpointPosition;

        Run(long seed, long settle, Totals totals) {
            this.r = new Random(seed);
            this.settle = settle;
            this.totals = totals;
            int keys = 1 + r.nextInt(4);
            int n = 10 + r.nextInt(60);
            Map<ListKey, Long> versions = new HashMap<>();
            long t = 0;
            for (int i = 0; i < n; i++) {
                ListKey key = new ListKey(Integer.toString(100 + r.nextInt(keys)), 678);
                long v = versions.merge(key, 1L, Long::sum);
                script.add(new ListOperation(key.contactId(), key.listId(), r.nextBoolean() ? ListAction.ADD
                        : ListAction.REMOVE, 1_000L, v));
                t += r.nextInt(8);
                scriptTimes.add(new long[] {t});
            }
            totals.operations += n;
            for (int c = r.nextInt(4); c > 0; c--) {
                at(r.nextInt((int) t + 1), this::checkpoint);
            }
            for (int f = r.nextInt(3); f > 0; f--) {
                at(r.nextInt((int) t + 20), this::failover);
            }
        }

        void play() {
            writer = new Writer(new PendingOperations(settle), 0);
            writer.feedFrom(0);
            Event e;
            while ((e = events.poll()) != null) {
                now = e.at;
                e.action.run();
            }
            assertThat(writer.pending.isEmpty()).as("the writer finished its work").isTrue();
        }

        Map<ListKey, String> wrongKeys() {
            Map<ListKey, ListAction> last = new HashMap<>();
            script.forEach(op -> last.put(op.key(), op.action()));
            Map<ListKey, String> wrong = new HashMap<>();
            last.forEach((key, action) -> {
                ListAction held = destination.getOrDefault(key, ListAction.REMOVE);
                if (held != action) {
                    wrong.put(key, "ends " + held + ", last operation " + action);
                }
            });
            return wrong;
        }

        void at(long time, Runnable action) {
            events.add(new Event(time, seq++, action));
        }

        void checkpoint() {
            checkpointState = new HashMap<>();
            for (ListOperation op : script) {
                ListOperation newest = writer.pending.newestUnfinished(op.key());
                if (newest != null) {
                    checkpointState.put(op.key(), newest);
                }
            }
            checkpointPosition = writer.position;
        }

        /** The writer dies (its open calls still land on the server) and a new one restores the last checkpoint. */
        void failover() {
            writer.alive = false;
            Writer restored = new Writer(new PendingOperations(settle), now);
            checkpointState.values().forEach(op -> restored.pending.offerRestored(op, now));
            restored.pending.fenceUntil(now + settle);
            writer = restored;
            restored.feedFrom(checkpointPosition);
            restored.sendWhatMayGo();
        }

        /** The server applies a call: last one landed wins, whatever its version. */
        void land(ListOperation op, Writer from) {
            Long applied = appliedVersion.get(op.key());
            if (applied != null && applied > op.version()) {
                totals.lateAfterNewer++;
            }
            if (from != writer) {
                totals.strayAfterRestore++;
            }
            destination.put(op.key(), op.action());
            appliedVersion.put(op.key(), op.version());
        }

        /** One attempt of the sink operator, with the calls it makes and the timers it sets. */
        final class Writer {
            final PendingOperations pending;
            final long startedAt;
            boolean alive = true;
            int inFlight;
            int position;

            Writer(PendingOperations pending, long startedAt) {
                this.pending = pending;
                this.startedAt = startedAt;
            }

            /** The upstream emits the script from {@code from}, catching up at once on what is already due. */
            void feedFrom(int from) {
                position = from;
                for (int i = from; i < script.size(); i++) {
                    int index = i;
                    at(Math.max(now, scriptTimes.get(i)[0]), () -> {
                        if (alive) {
                            position = index + 1;
                            pending.offer(script.get(index), now);
                            sendWhatMayGo();
                        }
                    });
                }
            }

            void sendWhatMayGo() {
                Slot slot;
                while (alive && inFlight < MAX_IN_FLIGHT && (slot = pending.pollSendable(now)) != null) {
                    inFlight++;
                    send(slot, slot.inFlight);
                }
            }

            private void send(Slot slot, ListOperation op) {
                int outcome = r.nextInt(100);
                long answer = now + 1 + r.nextInt((int) TIMEOUT - 1);
                if (outcome < 60) { // applied and acknowledged
                    at(answer, () -> {
                        land(op, this);
                        answered(() -> acknowledged(slot, op));
                    });
                } else if (outcome < 75) { // a 5xx that did not apply
                    at(answer, () -> answered(() -> failed(slot)));
                } else if (outcome < 85) { // a 5xx after it applied
                    at(answer, () -> {
                        land(op, this);
                        answered(() -> failed(slot));
                    });
                } else { // no answer: the client times out; the server applies it late, or never
                    long sent = now;
                    at(sent + TIMEOUT, () -> answered(() -> failed(slot)));
                    if (r.nextInt(10) < 7) {
                        at(sent + TIMEOUT + r.nextInt((int) (SETTLE - TIMEOUT)), () -> land(op, this));
                    }
                }
            }

            private void answered(Runnable then) {
                if (alive) {
                    inFlight--;
                    then.run();
                    sendWhatMayGo();
                }
            }

            private void acknowledged(Slot slot, ListOperation op) {
                if (pending.acknowledged(slot, now)) {
                    at(now + settle, () -> {
                        if (alive && pending.settleEnded(slot, op)) {
                            totals.resent++;
                            sendWhatMayGo();
                        }
                    });
                }
            }

            private void failed(Slot slot) {
                RetryOutcome outcome = pending.failed(slot, true, true);
                assertThat(outcome).isNotEqualTo(RetryOutcome.GIVE_UP);
                at(now + 1 + r.nextInt(5), () -> {
                    if (alive) {
                        pending.backoffEnded(slot);
                        sendWhatMayGo();
                    }
                });
            }
        }
    }
}

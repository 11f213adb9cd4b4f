package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.UncertainCalls;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations a writer has taken and not yet finished, by (contact, list), enforcing the
 * ordering rule: at most one request per key in flight, and an older operation is never sent after
 * a newer one. Operations on one key collapse to the newest (an ADD or REMOVE sets the membership,
 * so only the last one decides the outcome), which also makes a retried operation disappear when a
 * newer one arrives during its backoff. Keys with work go out in arrival order, in parallel.
 * It also remembers which keys changed since the last {@link #takeChangedKeys()}, so that the
 * operator can write just those into its keyed state at a checkpoint.
 *
 * <p>Late applies: a call whose fate is unknown (no answer, or a 5xx) may still take effect, until
 * the settle delay after it was sent. When an operation is acknowledged whose call went out while
 * such a call of an older operation of its key could still land, it is kept <em>settling</em> and,
 * once the settle delay is over ({@link #settleEnded}), sent once more, after any late apply.
 * Restored keys, and calls sent inside a restore's fence, count the same way: the failed attempt's
 * calls may still be open. The README has the argument.
 *
 * <p>Not thread-safe: the writer touches it from the task's mailbox thread only.
 */
final class PendingOperations {

    /** One key's work. */
    static final class Slot {
        final ListKey key;
        /** Sent, no answer yet. */
        ListOperation inFlight;
        /** Attempts made of {@code inFlight} before this one. */
        int inFlightPriorAttempts;
        /** When {@code inFlight}'s first attempt went out, for the retry time limit. */
        long inFlightFirstAttemptNanos;
        /** Newest not yet sent: a new operation, or the retry of a failed one. */
        ListOperation next;
        /** Attempts already made of {@code next} (0 for a fresh operation). */
        int nextAttempts;
        /** When {@code next}'s first attempt was made, for the retry time limit. */
        long nextFirstAttemptNanos;
        /** Waiting out a backoff: nothing is sent for this key until it ends. */
        boolean backingOff;
        boolean queued;
        /** Since when this key has had unfinished work, for the oldest-pending metric. */
        long pendingSinceNanos;
        /** When the in-flight call went out. */
        long inFlightSentNanos;
        /** {@code inFlight} / {@code next} is a settled operation sent once more, not a new one. */
        boolean inFlightIsResend;
        boolean nextIsResend;
        /** Acknowledged, but an older call may still land: sent once more when the settle delay ends. */
        ListOperation settling;

        Slot(ListKey key) {
            this.key = key;
        }

        boolean isIdle() {
            return inFlight == null && next == null && !backingOff && settling == null;
        }
    }

    /** What happened to a failed operation that could be retried. */
    enum RetryOutcome {
        /** It will be sent again after the backoff. */
        RETRY,
        /** A newer operation on the key arrived meanwhile and replaces it. */
        SUPERSEDED,
        /** It has used up its attempts or time and must go to the dead-letter output. */
        GIVE_UP
    }

    /** 0: nothing is ever re-sent. */
    private final long settleNanos;
    /** Per key, its calls that may still take effect (kept apart from slots: they outlive a key's work). */
    private final UncertainCalls<ListKey> uncertain;
    private final Map<ListKey, Slot> slots = new HashMap<>();
    private Set<ListKey> changed = new HashSet<>();
    private final ArrayDeque<Slot> ready = new ArrayDeque<>();
    private int operations;
    private long collapsed;
    private long stale;
    private long resent;

    /**
     * @param settleNanos the settle delay: longer than any server holds a request; 0 = never
     *     re-send (late applies are not repaired)
     */
    PendingOperations(long settleNanos) {
        this.settleNanos = settleNanos;
        this.uncertain = new UncertainCalls<>(settleNanos);
    }

    /**
     * Takes an operation. Returns false when it is older than what this key already holds (a
     * replay), in which case it is dropped: sending it would undo a newer change.
     */
    boolean offer(ListOperation op, long nowNanos) {
        ListKey key = op.key();
        Slot slot = slots.computeIfAbsent(key, Slot::new);
        if (slot.isIdle()) {
            slot.pendingSinceNanos = nowNanos;
        }
        long newest = Math.max(slot.inFlight == null ? Long.MIN_VALUE : slot.inFlight.version(),
                slot.next == null ? Long.MIN_VALUE : slot.next.version());
        if (slot.settling != null) {
            newest = Math.max(newest, slot.settling.version());
        }
        if (op.version() <= newest) {
            stale++;
            return false;
        }
        if (slot.next == null && slot.settling == null) {
            operations++;
        } else {
            collapsed++;
        }
        // A settling operation is replaced; the key stays uncertain, so the newer one settles in turn.
        slot.settling = null;
        slot.next = op;
        slot.nextIsResend = false;
        slot.nextAttempts = 0;
        changed.add(key);
        enqueueIfSendable(slot);
        return true;
    }

    /**
     * Takes an operation restored from a checkpoint: its key is uncertain from the start, because
     * the failed attempt may still have a call open for it.
     */
    boolean offerRestored(ListOperation op, long nowNanos) {
        if (!offer(op, nowNanos)) {
            return false;
        }
        uncertain.restored(op.key(), nowNanos);
        return true;
    }

    /**
     * After a failover: every call sent before {@code untilNanos} counts as if an older call of its
     * key may land after it, because the failed attempt may have had a call open for any key, also
     * for keys not in the checkpoint.
     */
    void fenceUntil(long untilNanos) {
        uncertain.fenceUntil(untilNanos);
    }

    /** The next operation to send, marked in flight at {@code nowNanos}; null when none may go now. */
    Slot pollSendable(long nowNanos) {
        Slot slot;
        while ((slot = ready.poll()) != null) {
            slot.queued = false;
            if (slot.inFlight == null && slot.next != null && !slot.backingOff) {
                slot.inFlight = slot.next;
                slot.inFlightPriorAttempts = slot.nextAttempts;
                slot.inFlightFirstAttemptNanos = slot.nextAttempts == 0 ? nowNanos : slot.nextFirstAttemptNanos;
                slot.inFlightSentNanos = nowNanos;
                slot.inFlightIsResend = slot.nextIsResend;
                slot.nextIsResend = false;
                slot.next = null;
                slot.nextAttempts = 0;
                return slot;
            }
        }
        return null;
    }

    /**
     * The in-flight operation of {@code slot} was acknowledged (applied). Returns true when it now
     * settles: an older call of the key may still land, so it must be sent once more after the
     * settle delay ({@link #settleEnded}); the caller starts that wait.
     */
    boolean acknowledged(Slot slot, long nowNanos) {
        ListOperation op = slot.inFlight;
        boolean mayBeUndone = uncertain.mayBeUndone(slot.key, op.version(), slot.inFlightSentNanos, nowNanos);
        if (!mayBeUndone) {
            finished(slot);
            return false;
        }
        slot.inFlight = null;
        changed.add(slot.key);
        if (slot.next == null && !slot.backingOff) {
            slot.settling = op;
            return true;
        }
        operations--; // a newer operation waits: it is the one that will settle
        afterChange(slot);
        return false;
    }

    /**
     * The settle delay of {@code op} is over: if it is still the key's settling operation, it goes
     * out once more (every older call has landed by now). Returns whether it was re-sent.
     */
    boolean settleEnded(Slot slot, ListOperation op) {
        if (slot.settling == null || !slot.settling.equals(op)) {
            return false; // replaced by a newer operation, which settles in its turn
        }
        slot.settling = null;
        slot.next = op;
        slot.nextAttempts = 0;
        slot.nextIsResend = true;
        resent++;
        enqueueIfSendable(slot);
        return true;
    }

    /** The in-flight operation of {@code slot} is finished: applied, or refused for good. */
    void finished(Slot slot) {
        slot.inFlight = null;
        operations--;
        changed.add(slot.key);
        afterChange(slot);
    }

    /** Attempts made so far of the operation now in flight on {@code slot}, this one included. */
    int attemptsOfInFlight(Slot slot) {
        return slot.inFlightPriorAttempts + 1;
    }

    long firstAttemptNanosOfInFlight(Slot slot) {
        return slot.inFlightFirstAttemptNanos;
    }

    /**
     * The in-flight operation failed in a way worth retrying. If a newer operation is waiting it
     * wins and the failed one is dropped; otherwise the failed one waits to be sent again. Either
     * way the key backs off, so that nothing else for it races a request that may still land.
     *
     * @param mayRetry whether the retry policy allows another attempt
     */
    RetryOutcome failed(Slot slot, boolean mayRetry) {
        return failed(slot, mayRetry, false);
    }

    /**
     * As {@link #failed(Slot, boolean)}, for a call that may still take effect ({@code fateUnknown}:
     * no answer, or a 5xx): until the settle delay after it was sent, an operation of the key
     * acknowledged after a newer call settles.
     */
    RetryOutcome failed(Slot slot, boolean mayRetry, boolean fateUnknown) {
        ListOperation failedOp = slot.inFlight;
        slot.inFlight = null;
        if (fateUnknown) {
            uncertain.fateUnknown(slot.key, failedOp.version(), slot.inFlightSentNanos);
        }
        if (slot.next != null) {
            operations--; // the failed one is replaced by the newer
            slot.backingOff = true;
            return RetryOutcome.SUPERSEDED;
        }
        if (!mayRetry) {
            operations--;
            changed.add(slot.key);
            afterChange(slot);
            return RetryOutcome.GIVE_UP;
        }
        slot.next = failedOp;
        slot.nextIsResend = slot.inFlightIsResend;
        slot.nextAttempts = slot.inFlightPriorAttempts + 1;
        slot.nextFirstAttemptNanos = slot.inFlightFirstAttemptNanos;
        slot.backingOff = true;
        return RetryOutcome.RETRY;
    }

    /** The key's backoff is over: whatever is newest goes next. */
    void backoffEnded(Slot slot) {
        slot.backingOff = false;
        afterChange(slot);
    }

    /**
     * Everything not yet acknowledged, oldest first per key: what a restore must re-send. An
     * operation in flight may or may not have landed; re-sending it is harmless because ADD and
     * REMOVE are idempotent and it is still followed by anything newer.
     */
    List<ListOperation> snapshot() {
        List<ListOperation> out = new ArrayList<>(operations);
        for (Slot s : slots.values()) {
            if (s.inFlight != null) {
                out.add(s.inFlight);
            }
            if (s.next != null) {
                out.add(s.next);
            }
            if (s.settling != null) {
                out.add(s.settling);
            }
        }
        return out;
    }

    /**
     * The newest operation of {@code key} not yet acknowledged (waiting, backing off or in
     * flight), or null when the key has nothing unfinished. It is all a restore needs for the key:
     * an older one in flight may or may not have landed, and the newest decides the outcome. A
     * settling operation counts: a restore sends it at once, and again after the settle delay.
     */
    ListOperation newestUnfinished(ListKey key) {
        Slot s = slots.get(key);
        if (s == null) {
            return null;
        }
        return s.next != null ? s.next : s.inFlight != null ? s.inFlight : s.settling;
    }

    /** The keys whose {@link #newestUnfinished} may have changed since the last call. */
    Set<ListKey> takeChangedKeys() {
        Set<ListKey> out = changed;
        changed = new HashSet<>();
        return out;
    }

    /** Operations taken and not finished (a collapsed pair counts once). */
    int size() {
        return operations;
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    long collapsedCount() {
        return collapsed;
    }

    long staleCount() {
        return stale;
    }

    /** Operations sent once more after their settle delay. */
    long resentCount() {
        return resent;
    }

    /** Age of the oldest unfinished work, 0 when there is none. Linear; for a metric gauge. */
    long oldestPendingAgeNanos(long nowNanos) {
        long oldest = nowNanos;
        for (Slot s : slots.values()) {
            oldest = Math.min(oldest, s.pendingSinceNanos);
        }
        return nowNanos - oldest;
    }

    private void afterChange(Slot slot) {
        if (slot.isIdle()) {
            slots.remove(slot.key);
        } else {
            enqueueIfSendable(slot);
        }
    }

    private void enqueueIfSendable(Slot slot) {
        if (!slot.queued && slot.inFlight == null && !slot.backingOff && slot.next != null) {
            slot.queued = true;
            ready.add(slot);
        }
    }
}

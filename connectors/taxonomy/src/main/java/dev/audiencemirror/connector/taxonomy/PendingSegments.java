package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.UncertainCalls;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segment operations a writer has taken and not yet finished, and the batching rules:
 *
 * <ul>
 *   <li>A buffer holds at most one operation per segment code: a newer operation on a code
 *       collapses into the buffered one (net effect, see {@link #offer}). So a batch, taken from
 *       the buffer, never holds two operations on one code.
 *   <li>One batch at a time is in flight. Its codes stay marked as batched until their rows are
 *       finished; operations arriving meanwhile for those codes wait in the buffer for a later
 *       batch, so an older operation on a code is never applied after a newer one.
 *   <li>Batches re-queued by a retry or a split go out before any new batch from the buffer.
 *   <li>Each row is planned against the codes the import holds ({@link ImportCodes}) as it goes
 *       into a batch: Create only for a code the import lacks, Update only for one it holds, and a
 *       Delete of an absent code is done without a call. Re-queued batches are planned again.
 *   <li>A batch refused as a whole with 404 or 409 (the published contract: one wrong premise
 *       refuses all, nothing applied) goes back first, to be planned again once the codes are read
 *       anew ({@link #replanAfterRefusal}); refused again too often, it is split until the row
 *       that keeps failing stands alone and is dead-lettered.
 *   <li>Row outcomes inside a 2xx (the other reading of the API): 409 on Create becomes an Update,
 *       404 on Update becomes a Create (upsert), 404 on Delete is done; other row failures are
 *       dead-lettered. A converted row goes back to the buffer, unless a newer operation on its
 *       code is already waiting, which then decides.
 *   <li>Late applies: a batch whose fate is unknown (no answer, or a 5xx) may still take effect
 *       until the settle delay after it was sent. When a row is finished whose batch went out while
 *       such a call of an older operation of its code could still land (or inside a restore's
 *       fence), and it is the code's newest, it is kept <em>settling</em> and, once the settle delay
 *       is over ({@link #settleEnded}), goes back to the buffer to be sent once more, planned
 *       against codes read after every late apply. The README ("Late applies") has the argument.
 * </ul>
 *
 * Not thread-safe: the writer touches it from the task's mailbox thread only. It knows nothing of
 * HTTP, so the rules are unit tested directly.
 */
final class PendingSegments {

    /**
     * One operation as it will be sent.
     *
     * @param premiseExists whether the code existed, as the job saw it, before the first operation
     *     of a collapsed run: Create assumes it did not, Update and Delete that it did
     * @param conversions how often this row was turned from Create into Update or back
     * @param arrivalMillis when its first operation arrived, for the linger time
     */
    record Row(TaxonomyOperation op, boolean premiseExists, int conversions, long arrivalMillis, boolean resend) {
        Row(TaxonomyOperation op, boolean premiseExists, int conversions, long arrivalMillis) {
            this(op, premiseExists, conversions, arrivalMillis, false);
        }

        static Row fresh(TaxonomyOperation op, long nowMillis) {
            return new Row(op, op.action() != TaxonomyAction.CREATE, 0, nowMillis);
        }

        String code() {
            return op.code();
        }
    }

    /** A batch taken from the buffer (or a part of one after a split). */
    static final class Batch {
        final List<Row> rows;
        /** Attempts made so far, the one in flight included. */
        int attempts;
        /** When the first attempt went out, for the retry time limit. */
        long firstAttemptNanos;
        /** When the attempt now in flight went out: until a settle delay later, it may still land. */
        long sentNanos;
        /** Whether it was already sent again after the API refused the key it carried. */
        boolean retriedAfterRefusal;
        /** How often it was refused as a whole (404/409) and planned again. */
        int replans;

        Batch(List<Row> rows) {
            this.rows = List.copyOf(rows);
        }

        /** The same batch with its rows as now planned, keeping its attempts and history. */
        Batch withRows(List<Row> planned) {
            Batch b = new Batch(planned);
            b.attempts = attempts;
            b.firstAttemptNanos = firstAttemptNanos;
            b.sentNanos = sentNanos;
            b.retriedAfterRefusal = retriedAfterRefusal;
            b.replans = replans;
            return b;
        }

        int size() {
            return rows.size();
        }

        List<TaxonomyOperation> operations() {
            List<TaxonomyOperation> ops = new ArrayList<>(rows.size());
            rows.forEach(r -> ops.add(r.op()));
            return ops;
        }
    }

    /** A row failure the API reported inside a 2xx answer. */
    record RowError(int index, String code, int status, String message) {}

    /** A row that goes to the dead-letter output. */
    record Failed(Row row, int status, String message) {}

    /** What the rows of an answered batch came to. */
    record Outcome(
            int succeeded,
            int alreadyDeleted,
            int converted,
            int superseded,
            int unmatchedErrors,
            List<Failed> failed,
            Map<Integer, Integer> rowErrorsByStatus,
            /* the operations now in effect: applied, or a Delete of a code already absent */
            List<TaxonomyOperation> done,
            /* of succeeded and alreadyDeleted, rows that were re-sent after their settle delay */
            int resendsDone) {}

    private final int batchSize;
    /** 0: nothing is ever re-sent. */
    private final long settleNanos;
    /** Per code, its calls that may still take effect (they outlive the code's work). */
    private final UncertainCalls<String> uncertain;
    /** Code → its newest operation, finished while an older call may still land: sent once more later. */
    private final LinkedHashMap<String, TaxonomyOperation> settling = new LinkedHashMap<>();
    /** Settling operations not yet handed to the writer ({@link #takeNewlySettling}). */
    private List<TaxonomyOperation> newlySettling = new ArrayList<>();
    private long resent;
    private final LinkedHashMap<String, Row> buffer = new LinkedHashMap<>();
    /** Code → version of every row in the batch in flight or in a re-queued batch. */
    private final Map<String, Long> batched = new HashMap<>();
    private final ArrayDeque<Batch> queued = new ArrayDeque<>();
    private Batch inFlight;
    private boolean backingOff;
    private long oldestBuffered = Long.MAX_VALUE;
    private boolean oldestDirty;
    private long collapsed;
    private long stale;
    /** Deletes of codes the import lacks, finished without a call, not yet reported ({@link #takeSkippedDeletes}). */
    private List<TaxonomyOperation> skippedDeletes = new ArrayList<>();
    /** When the batch being planned goes out (a Delete of an absent code is finished then). */
    private long planningNanos;

    PendingSegments(int batchSize) {
        this(batchSize, 0);
    }

    /**
     * @param settleNanos the settle delay: longer than any server holds a request; 0 = never
     *     re-send (late applies are not repaired)
     */
    PendingSegments(int batchSize, long settleNanos) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.settleNanos = settleNanos;
        this.uncertain = new UncertainCalls<>(settleNanos);
    }

    /**
     * Takes an operation. Returns false when it is not newer than what this code already holds (a
     * replay), in which case it is dropped: sending it would undo a newer change.
     *
     * <p>Collapsing keeps the net effect: a Delete wins as it is; a Create or Update carries the
     * newest data and becomes Create if the code did not exist before the first buffered
     * operation, Update if it did (Delete then Create is an Update of a code that still exists;
     * Create then Update is still a Create). The conversions on 409/404 make either choice
     * correct; this one just avoids a wasted row.
     */
    boolean offer(TaxonomyOperation op, long nowMillis) {
        String code = op.code();
        Row prev = buffer.get(code);
        long newest = Math.max(prev == null ? Long.MIN_VALUE : prev.op().version(),
                batched.getOrDefault(code, Long.MIN_VALUE));
        TaxonomyOperation settled = settling.get(code);
        if (settled != null) {
            newest = Math.max(newest, settled.version());
        }
        if (op.version() <= newest) {
            stale++;
            return false;
        }
        // A settling operation is replaced; the code stays uncertain, so the newer one settles in turn.
        settling.remove(code);
        if (prev == null) {
            put(Row.fresh(op, nowMillis));
            return true;
        }
        collapsed++;
        TaxonomyOperation net = op.action() == TaxonomyAction.DELETE
                ? op
                : new TaxonomyOperation(prev.premiseExists() ? TaxonomyAction.UPDATE : TaxonomyAction.CREATE,
                        code, op.data(), op.version());
        // Replacing the value keeps the code's place (and arrival time) in the buffer.
        buffer.put(code, new Row(net, prev.premiseExists(), 0, prev.arrivalMillis()));
        return true;
    }

    /**
     * Takes an operation restored from a checkpoint: its code is uncertain from the start, because
     * the failed attempt may still have a batch open with it.
     */
    boolean offerRestored(TaxonomyOperation op, long nowMillis, long nowNanos) {
        if (!offer(op, nowMillis)) {
            return false;
        }
        uncertain.restored(op.code(), nowNanos);
        return true;
    }

    /**
     * After a failover: every row finished before {@code untilNanos} counts as if an older call of
     * its code may land after it, because the failed attempt may have had a batch open with any
     * code, also with codes not in the checkpoint.
     */
    void fenceUntil(long untilNanos) {
        uncertain.fenceUntil(untilNanos);
    }

    /**
     * The batch in flight got no answer or a 5xx: each of its rows may still take effect until the
     * settle delay after it was sent. Call before {@link #retryLater} or {@link #abandon}.
     */
    void fateUnknown(Batch b) {
        for (Row r : b.rows) {
            uncertain.fateUnknown(r.code(), r.op().version(), b.sentNanos);
        }
    }

    /**
     * The settle delay of {@code ops} is over: each that is still its code's settling operation goes
     * back to the buffer, to be sent once more (every older call has landed by now). The caller reads
     * the import's codes again before it plans them. Returns how many were re-queued.
     */
    int settleEnded(List<TaxonomyOperation> ops, long nowMillis) {
        int n = 0;
        for (TaxonomyOperation op : ops) {
            if (!op.equals(settling.get(op.code())) || buffer.containsKey(op.code())) {
                continue; // replaced by a newer operation, which settles in its turn
            }
            settling.remove(op.code());
            put(new Row(op, op.action() != TaxonomyAction.CREATE, 0, nowMillis, true));
            n++;
        }
        resent += n;
        return n;
    }

    /** Operations that began to settle since the last ask: the caller ends their settle delay later. */
    List<TaxonomyOperation> takeNewlySettling() {
        if (newlySettling.isEmpty()) {
            return List.of();
        }
        List<TaxonomyOperation> out = newlySettling;
        newlySettling = new ArrayList<>();
        return out;
    }

    /**
     * The next batch to send, marked in flight, its rows planned against {@code codes}; null when
     * none may go now: one is in flight, a backoff runs, the import's codes are not known, or the
     * buffer holds less than a full batch and a partial one is not allowed. A re-queued batch
     * (retry, split, refusal) always goes first. Deletes of absent codes are finished on the way
     * ({@link #takeSkippedDeletes}), so a batch may take more rows than it sends.
     */
    Batch nextBatch(boolean partialAllowed, long nowNanos, ImportCodes codes) {
        if (inFlight != null || backingOff || !codes.known()) {
            return null;
        }
        planningNanos = nowNanos;
        Batch b = null;
        while (b == null && !queued.isEmpty()) {
            Batch q = queued.pollFirst();
            List<Row> planned = new ArrayList<>(q.size());
            boolean changed = false;
            for (Row r : q.rows) {
                Row p = planned(r, codes);
                changed |= p != r;
                if (p == null) {
                    batched.remove(r.code());
                } else {
                    planned.add(p);
                }
            }
            b = planned.isEmpty() ? null : changed ? q.withRows(planned) : q;
        }
        if (b == null) {
            if (buffer.isEmpty() || (!partialAllowed && buffer.size() < batchSize)) {
                return null;
            }
            List<Row> rows = new ArrayList<>(Math.min(batchSize, buffer.size()));
            Iterator<Row> it = buffer.values().iterator();
            while (it.hasNext() && rows.size() < batchSize) {
                Row r = it.next();
                it.remove();
                Row p = planned(r, codes);
                if (p != null) {
                    rows.add(p);
                    batched.put(p.code(), p.op().version());
                }
            }
            oldestDirty = true;
            if (rows.isEmpty()) {
                return null; // only deletes of absent codes: all done
            }
            b = new Batch(rows);
        }
        if (b.attempts == 0) {
            b.firstAttemptNanos = nowNanos;
        }
        b.sentNanos = nowNanos;
        b.attempts++;
        inFlight = b;
        return b;
    }

    /** The row as an import holding {@code codes} must get it; null for a Delete of a code it lacks (done). */
    private Row planned(Row r, ImportCodes codes) {
        boolean holds = codes.holds(r.code());
        TaxonomyAction action = r.op().action();
        if (action == TaxonomyAction.DELETE) {
            if (!holds) {
                if (!r.resend()) { // a re-sent one is not a new operation
                    skippedDeletes.add(r.op());
                }
                // Done without a call, now: an older call that lands later could still recreate the code.
                settleIfUncertain(r.op(), planningNanos);
                return null;
            }
            return r;
        }
        TaxonomyAction want = holds ? TaxonomyAction.UPDATE : TaxonomyAction.CREATE;
        if (want == action) {
            return r;
        }
        return new Row(new TaxonomyOperation(want, r.code(), r.op().data(), r.op().version()), holds, r.conversions(),
                r.arrivalMillis(), r.resend());
    }

    /** Deletes finished without a call since the last ask (the import lacked their codes). */
    List<TaxonomyOperation> takeSkippedDeletes() {
        if (skippedDeletes.isEmpty()) {
            return List.of();
        }
        List<TaxonomyOperation> out = skippedDeletes;
        skippedDeletes = new ArrayList<>();
        return out;
    }

    /** Whether a full batch is waiting (the writer sends it without lingering). */
    boolean hasFullBatch() {
        return !queued.isEmpty() || buffer.size() >= batchSize;
    }

    /**
     * The batch in flight was answered 2xx; {@code errors} are its rows that failed on their own
     * (none in the published contract). {@code codes} learns what the answer says the import holds.
     */
    Outcome answered(Batch b, List<RowError> errors, int maxConversions, ImportCodes codes) {
        finishFlight(b);
        Map<Integer, RowError> byIndex = new HashMap<>();
        int unmatched = 0;
        Map<String, Integer> indexOfCode = null;
        for (RowError e : errors) {
            int i = e.index();
            if (i < 0 || i >= b.size() || (e.code() != null && !e.code().equals(b.rows.get(i).code()))) {
                if (indexOfCode == null) {
                    indexOfCode = new HashMap<>();
                    for (int k = 0; k < b.size(); k++) {
                        indexOfCode.put(b.rows.get(k).code(), k);
                    }
                }
                Integer byCode = e.code() == null ? null : indexOfCode.get(e.code());
                if (byCode == null) {
                    unmatched++;
                    continue;
                }
                i = byCode;
            }
            byIndex.put(i, e);
        }
        int succeeded = 0;
        int alreadyDeleted = 0;
        int converted = 0;
        int superseded = 0;
        int resendsDone = 0;
        List<Failed> failed = new ArrayList<>();
        List<TaxonomyOperation> done = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (int i = 0; i < b.size(); i++) {
            Row row = b.rows.get(i);
            batched.remove(row.code());
            RowError e = byIndex.get(i);
            if (e == null) {
                codes.applied(row.op());
                resendsDone += row.resend() ? 1 : 0;
                succeeded++;
                done.add(row.op());
                settleIfUncertain(row.op(), b.sentNanos);
                continue;
            }
            byStatus.merge(e.status(), 1, Integer::sum);
            TaxonomyAction action = row.op().action();
            if (e.status() == 409 && action == TaxonomyAction.CREATE) {
                codes.exists(row.code(), true);
            } else if (e.status() == 404 && action != TaxonomyAction.CREATE) {
                codes.exists(row.code(), false);
            }
            if (action == TaxonomyAction.DELETE && e.status() == 404) {
                resendsDone += row.resend() ? 1 : 0;
                alreadyDeleted++;
                done.add(row.op());
                settleIfUncertain(row.op(), b.sentNanos);
            } else if ((action == TaxonomyAction.CREATE && e.status() == 409)
                    || (action == TaxonomyAction.UPDATE && e.status() == 404)) {
                if (buffer.containsKey(row.code())) {
                    superseded++;
                } else if (row.conversions() >= maxConversions) {
                    failed.add(new Failed(row, e.status(), e.message() + " (still after " + row.conversions()
                            + " conversions between Create and Update: is something else editing this import?)"));
                } else {
                    converted++;
                    TaxonomyAction flipped = action == TaxonomyAction.CREATE ? TaxonomyAction.UPDATE : TaxonomyAction.CREATE;
                    TaxonomyOperation op = new TaxonomyOperation(flipped, row.code(), row.op().data(), row.op().version());
                    put(new Row(op, flipped == TaxonomyAction.UPDATE, row.conversions() + 1, row.arrivalMillis()));
                }
            } else {
                failed.add(new Failed(row, e.status(), e.message()));
            }
        }
        return new Outcome(succeeded, alreadyDeleted, converted, superseded, unmatched, failed, byStatus, done, resendsDone);
    }

    /**
     * The batch in flight was refused as a whole as malformed (400). With a row named by the API
     * ({@code badIndex}) that row is isolated at once and the rest re-queued as one batch;
     * without, the batch is split in halves, each re-queued, until the bad rows stand alone. A
     * single row refused is isolated.
     *
     * @return the isolated rows, to dead-letter (empty when the batch was only split)
     */
    List<Row> split(Batch b, Integer badIndex) {
        finishFlight(b);
        if (b.size() == 1) {
            batched.remove(b.rows.get(0).code());
            return List.of(b.rows.get(0));
        }
        if (badIndex != null && badIndex >= 0 && badIndex < b.size()) {
            Row bad = b.rows.get(badIndex);
            batched.remove(bad.code());
            List<Row> rest = new ArrayList<>(b.rows);
            rest.remove((int) badIndex);
            queued.addFirst(new Batch(rest));
            return List.of(bad);
        }
        int mid = b.size() / 2;
        queued.addFirst(new Batch(b.rows.subList(mid, b.size())));
        queued.addFirst(new Batch(b.rows.subList(0, mid)));
        return List.of();
    }

    /**
     * The batch in flight was refused as a whole with 404 or 409: a row's premise was wrong and
     * nothing was applied. It goes back first, to be planned again against codes read anew; after
     * {@code maxReplans} such refusals it is split instead (halves, until the row that keeps being
     * refused stands alone).
     *
     * @return rows isolated for good, to dead-letter (empty unless a single row was refused too often)
     */
    List<Row> replanAfterRefusal(Batch b, int maxReplans) {
        if (b.replans >= maxReplans) {
            return split(b, null);
        }
        finishFlight(b);
        b.replans++;
        queued.addFirst(b);
        return List.of();
    }

    /** The batch in flight failed in a way worth retrying: it goes out again, first, after the backoff. */
    void retryLater(Batch b) {
        finishFlight(b);
        queued.addFirst(b);
        backingOff = true;
    }

    /** The backoff is over. */
    void backoffEnded() {
        backingOff = false;
    }

    boolean backingOff() {
        return backingOff;
    }

    /**
     * The batch in flight will not be applied (retries used up, or refused for good). Returns its
     * rows to dead-letter: all but those whose code already has a newer operation waiting, which
     * decides the code's outcome anyway.
     */
    List<Row> abandon(Batch b) {
        finishFlight(b);
        List<Row> lost = new ArrayList<>(b.size());
        for (Row r : b.rows) {
            batched.remove(r.code());
            if (!buffer.containsKey(r.code())) {
                lost.add(r);
            }
        }
        return lost;
    }

    /**
     * Everything not yet finished, per code oldest first (batched rows, then the buffer): what a
     * restore must re-send. A row in flight may or may not have landed; sending it again is
     * harmless (409 becomes Update, Delete 404 is done) and anything newer on its code follows it.
     */
    List<TaxonomyOperation> snapshot() {
        List<TaxonomyOperation> out = new ArrayList<>(size());
        // A settling operation is stored as unfinished: a restore sends it at once, and again after the settle delay.
        out.addAll(settling.values());
        if (inFlight != null) {
            out.addAll(inFlight.operations());
        }
        for (Batch b : queued) {
            out.addAll(b.operations());
        }
        for (Row r : buffer.values()) {
            out.add(r.op());
        }
        return out;
    }

    Batch inFlight() {
        return inFlight;
    }

    /** Operations taken and not finished: buffered, in flight, re-queued and settling. */
    int size() {
        return buffer.size() + batched.size() + settling.size();
    }

    int buffered() {
        return buffer.size();
    }

    boolean isEmpty() {
        return buffer.isEmpty() && batched.isEmpty() && settling.isEmpty();
    }

    /** Operations waiting out their settle delay. */
    int settlingCount() {
        return settling.size();
    }

    /** Operations sent once more after their settle delay. */
    long resentCount() {
        return resent;
    }

    /** When the oldest buffered operation arrived; {@link Long#MAX_VALUE} when the buffer is empty. */
    long oldestBufferedMillis() {
        if (oldestDirty) {
            long oldest = Long.MAX_VALUE;
            for (Row r : buffer.values()) {
                oldest = Math.min(oldest, r.arrivalMillis());
            }
            oldestBuffered = oldest;
            oldestDirty = false;
        }
        return buffer.isEmpty() ? Long.MAX_VALUE : oldestBuffered;
    }

    /** When the oldest unfinished operation arrived (buffered or batched); MAX_VALUE when none. */
    long oldestPendingMillis() {
        long oldest = oldestBufferedMillis();
        if (inFlight != null) {
            for (Row r : inFlight.rows) {
                oldest = Math.min(oldest, r.arrivalMillis());
            }
        }
        for (Batch b : queued) {
            for (Row r : b.rows) {
                oldest = Math.min(oldest, r.arrivalMillis());
            }
        }
        return oldest;
    }

    long collapsedCount() {
        return collapsed;
    }

    long staleCount() {
        return stale;
    }

    /**
     * {@code op} is finished by a call sent (or, for a Delete of an absent code, a decision taken) at
     * {@code sentNanos}: if an older call of its code may land after that, or it is inside a
     * restore's fence, it settles, unless a newer operation already waits (that one settles in turn).
     */
    private void settleIfUncertain(TaxonomyOperation op, long sentNanos) {
        if (settleNanos == 0 || buffer.containsKey(op.code())
                || !uncertain.mayBeUndone(op.code(), op.version(), sentNanos, sentNanos)) {
            return;
        }
        settling.put(op.code(), op);
        newlySettling.add(op);
    }

    private void put(Row r) {
        if (buffer.isEmpty()) {
            oldestBuffered = r.arrivalMillis();
            oldestDirty = false;
        } else if (!oldestDirty) {
            oldestBuffered = Math.min(oldestBuffered, r.arrivalMillis());
        }
        buffer.put(r.code(), r);
    }

    private void finishFlight(Batch b) {
        if (inFlight != b) {
            throw new IllegalStateException("answer for a batch that is not in flight");
        }
        inFlight = null;
    }
}

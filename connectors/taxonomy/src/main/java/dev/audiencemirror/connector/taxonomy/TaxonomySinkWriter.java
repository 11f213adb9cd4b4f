package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringWriter;
import dev.audiencemirror.connector.common.HttpClients;
import dev.audiencemirror.connector.common.Preflight;
import dev.audiencemirror.connector.common.RetryAfter;
import dev.audiencemirror.connector.common.RotatingSecret;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.connector.taxonomy.PendingSegments.Batch;
import dev.audiencemirror.connector.taxonomy.PendingSegments.Row;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends segment operations to one import in batches, as they come: a batch goes out when it is
 * full, at a checkpoint, or when its oldest operation has waited the linger time; one batch is in
 * flight at a time. Answers come back on HTTP client threads and are handed to the task's
 * mailbox, so all bookkeeping ({@link PendingSegments}) happens on one thread.
 *
 * <p>Before its first batch the writer reads the codes the import holds ({@code GET
 * /imports/{id}/segments}, every page; {@link ImportCodes}) and plans every row against them:
 * Create only for a code the import lacks, Update only for one it holds, no call for a Delete of an
 * absent code. Codes the input never names are left alone.
 *
 * <ul>
 *   <li>2xx: the published contract answers {@code {"items"}} only: every row was applied. If an
 *       answer lists rows that failed on their own ({@code errors}): 409 on Create → sent again as
 *       Update, 404 on Update → sent again as Create, 404 on Delete → done, others → dead letter.
 *   <li>404 or 409 for the whole batch (nothing applied: the import was edited by someone else):
 *       the codes are read again and the batch planned anew; refused too often, it is split until
 *       the row that keeps failing is isolated and dead-lettered. Only {@code GET /imports/{id}}
 *       answering 404 fails the job as "import not found".
 *   <li>400 (also 413, 422): the batch is malformed as a whole; the bad rows are isolated (the
 *       row the API names, else halves) and dead-lettered, the rest is sent again.
 *   <li>429, 5xx, timeouts, dropped connections: the batch is retried with backoff and jitter, at
 *       least {@code Retry-After}, up to the retry policy's limits; then its rows are dead-lettered.
 *   <li>401/403: the key may have been rotated: it is read again and the batch sent once more with
 *       it (at once); refused again with the same key, the job fails, saying whether the key is
 *       invalid or lacks write access (known only here: the preflight cannot ask without writing).
 * </ul>
 *
 * The key is read here, on the TaskManager, from the reference the config carries
 * ({@link RotatingSecret}): a key file is read again every {@code apiKeyCheckInterval} and after a
 * refusal, so a rotated key is taken up without a restart.
 *
 *
 * At a checkpoint nothing is awaited: every operation not yet finished goes into the state and is
 * re-sent after a restore. At the end of a bounded input everything is awaited.
 *
 * <p>Late applies: a batch with no answer or a 5xx may still take effect later; a code's newest
 * operation finished while such an older call could still land (or inside a restore's fence) is
 * sent once more {@code settleDelay} later, planned against the import's codes read again then
 * ({@link PendingSegments}; README, "Late applies").
 */
@Internal
public final class TaxonomySinkWriter extends DeadLetteringWriter<TaxonomyOperation, TaxonomyWriterState> {

    private static final Logger LOG = LoggerFactory.getLogger(TaxonomySinkWriter.class);
    private static final int HISTOGRAM_WINDOW = 1024;

    private final TaxonomySinkConfig config;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timers;
    private final HttpClient client;
    private final RotatingSecret apiKey;
    private final SegmentBatchRequestConverter converter;
    private final PendingSegments pending;
    private final SinkMetrics metrics;
    private final Counter batchesSent;
    private final Histogram operationsPerBatch;
    private final Counter batchRetries;
    private final Counter batchesSplit;
    private final Counter rowsConverted;
    private final Counter deletesAlreadyAbsent;
    private final Counter codeReads;
    private final Counter batchesReplanned;
    private final Counter resent;
    /** Re-sends became due while the codes were being read: that read may predate a late apply. */
    private boolean codesStale;
    private final ImportCodes codes = new ImportCodes();
    private boolean readingCodes;
    private final Map<Integer, Counter> rowsFailedByStatus = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom();
    private final Clock clock = Clock.systemUTC();
    private final long lingerMillis;

    /** Code → version of its newest refused operation, until a newer one is in effect (then a note supersedes it). */
    private final Map<String, Long> refusedVersions = new HashMap<>();
    private boolean draining;
    private long lingerTimerAt = Long.MAX_VALUE;

    TaxonomySinkWriter(TaxonomySinkConfig config, WriterInitContext context, Collection<TaxonomyWriterState> restored) {
        this.config = config;
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            // The same on every restart: do not burn restart attempts on it.
            throw new SuppressRestartsException(new IllegalArgumentException("The Taxonomy sink for import "
                    + config.importId() + " runs with parallelism " + parallelism + "; it must run with parallelism 1"
                    + " (the import takes one batch at a time, and operations on a code must stay in order):"
                    + " use sinkTo(sink).setParallelism(1)"));
        }
        this.mailbox = context.getMailboxExecutor();
        this.timers = context.getProcessingTimeService();
        this.lingerMillis = config.linger().toMillis();
        this.pending = new PendingSegments(config.batchSize(), config.settleDelay().toNanos());
        try {
            this.apiKey = RotatingSecret.open(config.apiKey(), "Permutive API key", config.apiKeyCheckInterval());
        } catch (IllegalStateException e) {
            throw new SuppressRestartsException(e);
        }
        this.client = HttpClients.create(config.requestTimeout());
        this.converter = new SegmentBatchRequestConverter(config);
        this.metrics = new SinkMetrics(context.metricGroup(), () -> pending.inFlight() == null ? 0 : 1, pending::size,
                () -> {
                    long oldest = pending.oldestPendingMillis();
                    return oldest == Long.MAX_VALUE ? 0L : Math.max(0L, clock.millis() - oldest);
                });
        var group = metrics.group();
        this.batchesSent = group.counter("batchesSent");
        this.operationsPerBatch = group.histogram("operationsPerBatch", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        this.batchRetries = group.counter("batchRetries");
        this.batchesSplit = group.counter("batchesSplit");
        this.rowsConverted = group.counter("rowsConverted");
        this.deletesAlreadyAbsent = group.counter("deletesAlreadyAbsent");
        this.codeReads = group.counter("importCodeReads");
        this.batchesReplanned = group.counter("batchesReplanned");
        this.resent = group.counter(TaxonomySink.OPERATIONS_RESENT_AFTER_UNCERTAIN);
        group.gauge("operationsSettling", pending::settlingCount);
        group.gauge("importCodes", codes::size);
        group.gauge("operationsCollapsed", pending::collapsedCount);
        group.gauge("operationsStale", pending::staleCount);
        apiKey.registerMetrics(group);

        if (config.preflight()) {
            Preflight.atStart("Taxonomy", () -> TaxonomyPreflight.check(client, config, converter, apiKey.current()));
        }
        long now = clock.millis();
        long nowNanos = System.nanoTime();
        int restoredCount = 0;
        for (TaxonomyWriterState state : restored) {
            for (TaxonomyOperation op : state.pending()) {
                pending.offerRestored(op, now, nowNanos);
                restoredCount++;
            }
            state.refusedVersions().forEach((code, version) -> refusedVersions.merge(code, version, Math::max));
        }
        if (restoredCount > 0 || context.getTaskInfo().getAttemptNumber() > 0) {
            // A failed attempt may still have a batch open, with any code: it lands within the settle delay.
            pending.fenceUntil(nowNanos + config.settleDelay().toNanos());
        }
        int restoredOperations = restoredCount;
        metrics.group().gauge("operationsRestored", () -> restoredOperations);
        if (restoredCount > 0) {
            LOG.info("Taxonomy writer for import {} re-sends {} operations not finished before the restore",
                    config.importId(), restoredCount);
        }
        LOG.info("Taxonomy writer started for import {}: batches of up to {}, linger {}, key from {} (fingerprint {})",
                config.importId(), config.batchSize(), config.linger(), config.apiKey(), apiKey.current().fingerprintHex());
    }


    @Override
    public void write(TaxonomyOperation op, Context context) throws IOException, InterruptedException {
        while (pending.size() >= config.maxBufferedOperations()) {
            mailbox.yield();
        }
        pending.offer(op, timers.getCurrentProcessingTime());
        trySend(false);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput) {
            // A bounded run (the nightly job) ends only when every operation is applied or dead-lettered.
            draining = true;
            trySend(true);
            while (!pending.isEmpty()) {
                mailbox.yield();
            }
        } else {
            // A checkpoint: a partial batch may go now, but nothing is awaited; the state holds it.
            trySend(true);
        }
    }

    @Override
    public List<TaxonomyWriterState> snapshotState(long checkpointId) {
        List<TaxonomyOperation> ops = pending.snapshot();
        return ops.isEmpty() && refusedVersions.isEmpty() ? List.of() : List.of(new TaxonomyWriterState(ops, refusedVersions));
    }

    /** Sends the next batch if one may go: full, re-queued, or partial when allowed or lingered long enough. */
    private void trySend(boolean partialNow) {
        if (pending.inFlight() != null || pending.backingOff() || pending.isEmpty()) {
            return;
        }
        if (!codes.known()) {
            readCodes();
            return;
        }
        long oldest = pending.oldestBufferedMillis();
        boolean partial = partialNow || draining
                || (oldest != Long.MAX_VALUE && timers.getCurrentProcessingTime() - oldest >= lingerMillis);
        Batch batch = pending.nextBatch(partial, System.nanoTime(), codes);
        armSettle();
        List<TaxonomyOperation> skipped = pending.takeSkippedDeletes();
        if (!skipped.isEmpty()) {
            deletesAlreadyAbsent.inc(skipped.size());
            metrics.succeeded(skipped.size());
            skipped.forEach(this::supersedeDeadLetter);
        }
        if (batch != null) {
            send(batch);
        } else if (oldest != Long.MAX_VALUE) {
            armLinger(oldest + lingerMillis);
        }
    }

    /** Reads every page of the import's segment codes, then sends what waits (one read at a time). */
    private void readCodes() {
        if (readingCodes) {
            return;
        }
        readingCodes = true;
        codeReads.inc();
        fetchPage(null, new ArrayList<>(), 1, System.nanoTime(), false);
    }

    private void fetchPage(String token, List<String> found, int attempt, long startedNanos, boolean keyReloaded) {
        client.sendAsync(converter.listSegments(token, apiKey.current()), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    SegmentsPage page;
                    try {
                        page = SegmentsPage.of(response, failure);
                    } catch (RuntimeException unreadable) {
                        page = SegmentsPage.of(null, unreadable);
                    }
                    SegmentsPage p = page;
                    try {
                        mailbox.execute(() -> onPage(token, found, p, attempt, startedNanos, keyReloaded),
                                "taxonomy import codes");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down.
                    }
                });
    }

    private void onPage(String token, List<String> found, SegmentsPage page, int attempt, long startedNanos,
            boolean keyReloaded) throws IOException {
        String reading = " while reading the segments of import " + config.importId();
        switch (page.answerClass()) {
            case APPLIED -> {
                found.addAll(page.codes());
                if (page.nextToken() != null) {
                    fetchPage(page.nextToken(), found, 1, startedNanos, false);
                    return;
                }
                codes.replace(found);
                readingCodes = false;
                if (codesStale) {
                    codesStale = false;
                    codes.invalidate();
                }
                LOG.info("Taxonomy import {} holds {} segment codes (read in {} ms)", config.importId(), found.size(),
                        (System.nanoTime() - startedNanos) / 1_000_000);
                trySend(false);
            }
            case INVALID_KEY, READ_ONLY_KEY -> {
                Secret key = apiKey.reloadAfterRejection();
                if (keyReloaded) {
                    throw new IOException(page.status() == 401
                            ? TaxonomyPreflight.invalidKey(page.status(), reading + ", also after reading the key again", key)
                            : "The Permutive API key may not read import " + config.importId() + " (HTTP " + page.status()
                                    + ": " + page.error().describe() + ")");
                }
                fetchPage(token, found, attempt, startedNanos, true);
            }
            case STALE_CODES -> {
                if (page.status() == 404) {
                    checkImportExists(token, found, attempt, startedNanos);
                } else {
                    retryPage(token, found, page, attempt, startedNanos, keyReloaded);
                }
            }
            case RETRY -> retryPage(token, found, page, attempt, startedNanos, keyReloaded);
            case REJECTED_ROWS, PERMANENT -> throw new IOException("Permutive answered HTTP " + page.status()
                    + reading + ": " + page.error().describe());
        }
    }

    private void retryPage(String token, List<String> found, SegmentsPage page, int attempt, long startedNanos,
            boolean keyReloaded) throws IOException {
        Optional<Duration> delay = config.retryPolicy().nextDelay(attempt, Duration.ofNanos(System.nanoTime() - startedNanos),
                RetryAfter.parse(page.retryAfter(), clock), random.nextDouble());
        if (delay.isEmpty()) {
            throw new IOException("Permutive: gave up reading the segments of import " + config.importId() + " after "
                    + attempt + " attempts; last: " + page.error().describe());
        }
        timers.registerTimer(timers.getCurrentProcessingTime() + delay.get().toMillis(),
                t -> fetchPage(token, found, attempt + 1, startedNanos, keyReloaded));
    }

    /** The segments answered 404: only the import's own endpoint may say the import is gone. */
    private void checkImportExists(String token, List<String> found, int attempt, long startedNanos) {
        client.sendAsync(converter.readImport(apiKey.current()), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    int status = response == null ? 0 : response.statusCode();
                    String body = response == null ? null : response.body();
                    try {
                        mailbox.execute(() -> {
                            if (status == 404) {
                                throw new IOException(TaxonomyPreflight.importNotFound(config, " while reading its segments"));
                            }
                            retryPage(token, found, new SegmentsPage(status, List.of(), null, ApiError.of(status, body),
                                    Optional.empty(), failure), attempt, startedNanos, false);
                        }, "taxonomy import check");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down.
                    }
                });
    }

    private void armLinger(long at) {
        if (lingerTimerAt <= at) {
            return; // an earlier timer will look again
        }
        lingerTimerAt = at;
        timers.registerTimer(at, t -> {
            if (lingerTimerAt == at) {
                lingerTimerAt = Long.MAX_VALUE;
            }
            trySend(false);
        });
    }

    /** Ends the settle delay of what began to settle: those still settling then are sent once more. */
    private void armSettle() {
        List<TaxonomyOperation> ops = pending.takeNewlySettling();
        if (ops.isEmpty()) {
            return;
        }
        timers.registerTimer(timers.getCurrentProcessingTime() + config.settleDelay().toMillis(), t -> {
            int n = pending.settleEnded(ops, clock.millis());
            if (n == 0) {
                return;
            }
            resent.inc(n);
            // Planned against codes read after every late apply: a stray Create shows, a late Delete too.
            if (readingCodes) {
                codesStale = true;
            } else {
                codes.invalidate();
            }
            LOG.info("Taxonomy import {}: sending {} operations once more, now that every batch of unknown fate"
                    + " before them has landed (README, \"Late applies\")", config.importId(), n);
            trySend(false);
        });
    }

    private void send(Batch batch) {
        int n = batch.size();
        batchesSent.inc();
        operationsPerBatch.update(n);
        // A re-send is counted in operationsResentAfterUncertain, not as another operation.
        metrics.sent(n - (int) batch.rows.stream().filter(Row::resend).count());
        long started = System.nanoTime();
        long keyChanges = apiKey.changes();
        client.sendAsync(converter.toRequest(batch.operations(), apiKey.current()), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    // On an HTTP client thread: reading the answer here keeps the task thread free.
                    BatchAnswer answer;
                    try {
                        answer = BatchAnswer.of(response, failure);
                    } catch (RuntimeException unreadable) {
                        answer = BatchAnswer.of(null, unreadable);
                    }
                    BatchAnswer a = answer;
                    try {
                        mailbox.execute(() -> onAnswer(batch, a, started, keyChanges), "taxonomy batch answer");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down; the batch is in the last checkpoint's state.
                    }
                });
    }

    /** @param keyChanges the key's {@link RotatingSecret#changes()} when the batch was sent: which key it carried */
    private void onAnswer(Batch batch, BatchAnswer answer, long started, long keyChanges) throws IOException {
        long now = System.nanoTime();
        metrics.latency((now - started) / 1_000_000);
        int status = answer.status();
        TaxonomyAnswerClass kind = answer.answerClass();
        if (kind == TaxonomyAnswerClass.RETRY) {
            metrics.unavailable(clock.millis());
        } else {
            metrics.available();
        }
        switch (kind) {
            case APPLIED -> applied(batch, answer);
            case INVALID_KEY, READ_ONLY_KEY -> keyRefused(batch, kind, status, keyChanges);
            case STALE_CODES -> {
                // Nothing of it was applied: read the codes again, then plan the batch anew.
                codes.invalidate();
                batchesReplanned.inc();
                LOG.info("Taxonomy import {} refused a batch of {} operations as a whole (HTTP {}: {}): reading its codes"
                        + " again and planning the batch anew", config.importId(), batch.size(), status, answer.message());
                for (Row r : pending.replanAfterRefusal(batch, config.maxConversions())) {
                    rowFailed(status);
                    deadLetter(r.op(), status, answer.message() + " (refused alone, also after reading the import's codes"
                            + " again " + config.maxConversions() + " times: is something else editing this import?)",
                            batch.attempts);
                }
            }
            case REJECTED_ROWS -> {
                batchesSplit.inc();
                List<Row> isolated = pending.split(batch, answer.badIndex());
                for (Row r : isolated) {
                    rowFailed(status);
                    deadLetter(r.op(), status, answer.message(), batch.attempts);
                }
            }
            case RETRY -> {
                if (status != 429) {
                    pending.fateUnknown(batch); // no answer, or a 5xx: it may still take effect
                }
                retry(batch, answer, now);
            }
            case PERMANENT -> {
                for (Row r : pending.abandon(batch)) {
                    rowFailed(status);
                    deadLetter(r.op(), status, answer.message(), batch.attempts);
                }
            }
        }
        armSettle();
        trySend(false);
    }

    /**
     * 401/403: the key may have been rotated. Read it again and send the batch once more, at once;
     * a batch that carried an older key than the one now read does not use up that one retry.
     * Refused again with the key in use, the job fails.
     */
    private void keyRefused(Batch batch, TaxonomyAnswerClass kind, int status, long sentWithChanges)
            throws IOException {
        Secret key = apiKey.reloadAfterRejection();
        boolean sentWithOlderKey = apiKey.changes() > sentWithChanges;
        if (!sentWithOlderKey) {
            if (batch.retriedAfterRefusal) {
                String when = " while writing, also after reading the key again";
                throw new IOException(kind == TaxonomyAnswerClass.INVALID_KEY
                        ? TaxonomyPreflight.invalidKey(status, when, key)
                        : TaxonomyPreflight.readOnlyKey(config, status, when, key));
            }
            batch.retriedAfterRefusal = true;
        }
        LOG.warn("Permutive refused the API key (HTTP {}) for a batch of {} operations on import {}: sending it again"
                + " with the key read now (fingerprint {})", status, batch.size(), config.importId(), key.fingerprintHex());
        batchRetries.inc();
        metrics.retried(batch.size());
        pending.retryLater(batch);
        pending.backoffEnded();
    }

    private void applied(Batch batch, BatchAnswer answer) {
        PendingSegments.Outcome o = pending.answered(batch, answer.rowErrors(), config.maxConversions(), codes);
        metrics.succeeded(o.succeeded() + o.alreadyDeleted() - o.resendsDone());
        deletesAlreadyAbsent.inc(o.alreadyDeleted());
        rowsConverted.inc(o.converted());
        o.rowErrorsByStatus().forEach((s, count) -> rowsFailedCounter(s).inc(count));
        o.done().forEach(this::supersedeDeadLetter);
        for (PendingSegments.Failed f : o.failed()) {
            deadLetter(f.row().op(), f.status(), f.message(), batch.attempts);
        }
        if (o.unmatchedErrors() > 0) {
            LOG.warn("Taxonomy import {}: {} row errors in an answer matched no row of the batch; ignored",
                    config.importId(), o.unmatchedErrors());
        }
    }

    private void retry(Batch batch, BatchAnswer answer, long now) {
        Duration elapsed = Duration.ofNanos(now - batch.firstAttemptNanos);
        Optional<Duration> retryAfter = RetryAfter.parse(answer.retryAfter(), clock);
        Optional<Duration> delay = config.retryPolicy().nextDelay(batch.attempts, elapsed, retryAfter, random.nextDouble());
        if (delay.isEmpty()) {
            String reason = "gave up after " + batch.attempts + " attempts; last: " + answer.message();
            for (Row r : pending.abandon(batch)) {
                rowFailed(answer.status());
                deadLetter(r.op(), answer.status(), reason, batch.attempts);
            }
            return;
        }
        pending.retryLater(batch);
        batchRetries.inc();
        metrics.retried(batch.size());
        timers.registerTimer(timers.getCurrentProcessingTime() + delay.get().toMillis(), t -> {
            pending.backoffEnded();
            trySend(false);
        });
    }

    private void rowFailed(int status) {
        rowsFailedCounter(status).inc();
    }

    private Counter rowsFailedCounter(int status) {
        return rowsFailedByStatus.computeIfAbsent(status,
                s -> metrics.group().addGroup("status", Integer.toString(s)).counter("rowsFailed"));
    }

    private void deadLetter(TaxonomyOperation op, int status, String reason, int attempts) {
        addDeadLetter(new DeadLetter(TaxonomyDeadLetters.DESTINATION, SegmentBatchRequestConverter.key(config.importId(), op.code()),
                SegmentBatchRequestConverter.describe(op, config.importId()), status, reason, attempts, clock.millis()));
        metrics.deadLettered(1);
        refusedVersions.merge(op.code(), op.version(), Math::max);
    }

    /**
     * {@code op} is in effect and newer than the code's dead letter: a note to the dead-letter
     * output says so, so that {@code redrive} never sends the older refused one after it.
     */
    private void supersedeDeadLetter(TaxonomyOperation op) {
        Long refused = refusedVersions.get(op.code());
        if (refused == null || refused >= op.version()) {
            return;
        }
        addDeadLetter(DeadLetter.applied(TaxonomyDeadLetters.DESTINATION, SegmentBatchRequestConverter.key(config.importId(), op.code()),
                SegmentBatchRequestConverter.describe(op, config.importId()), 200, "the sink", clock.millis()));
        refusedVersions.remove(op.code());
    }
}

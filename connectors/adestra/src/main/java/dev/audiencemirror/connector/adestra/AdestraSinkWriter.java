package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.ConcurrencyBudget;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringWriter;
import dev.audiencemirror.connector.common.HttpClients;
import dev.audiencemirror.connector.common.Preflight;
import dev.audiencemirror.connector.common.ResponseClass;
import dev.audiencemirror.connector.common.RetryAfter;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.strategy.AIMDScalingStrategy;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends list operations as they arrive, at most one request per (contact, list) at a time and at
 * most this subtask's share of the account's concurrency in all. Answers come back on HTTP client
 * threads and are handed to the task's mailbox, so all bookkeeping happens on one thread.
 *
 * <ul>
 *   <li>2xx: done. 404 (list) / 400 (contact) and other 4xx: dead letter, the job goes on.
 *   <li>429, 5xx, timeouts, dropped connections: retried with backoff and jitter, at least
 *       {@code Retry-After}; 429 also halves the in-flight limit (AIMD), which success grows back.
 *   <li>401/403: the key is bad for every operation: the job fails with a clear message.
 * </ul>
 *
 * At a checkpoint nothing is awaited: every operation not yet acknowledged goes into the state and
 * is re-sent after a restore. At the end of a bounded input everything is awaited.
 */
public final class AdestraSinkWriter extends DeadLetteringWriter<ListOperation, AdestraWriterState> {

    private static final Logger LOG = LoggerFactory.getLogger(AdestraSinkWriter.class);

    private final AdestraSinkConfig config;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timers;
    private final HttpClient client;
    private final ListOperationRequestConverter converter;
    private final PendingOperations pending = new PendingOperations();
    private final AIMDScalingStrategy aimd;
    private final int budget;
    private final SinkMetrics metrics;
    private final SplittableRandom random = new SplittableRandom();
    private final Clock clock = Clock.systemUTC();

    private int limit;
    private int inFlight;

    AdestraSinkWriter(AdestraSinkConfig config, WriterInitContext context, Collection<AdestraWriterState> restored) {
        this.config = config;
        this.mailbox = context.getMailboxExecutor();
        this.timers = context.getProcessingTimeService();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        try {
            this.budget = ConcurrencyBudget.forSubtask(config.maxConcurrency(), parallelism, subtask);
        } catch (IllegalArgumentException e) {
            // The same on every restart: do not burn restart attempts on it.
            throw new SuppressRestartsException(e);
        }
        this.limit = budget;
        this.aimd = AIMDScalingStrategy.builder(budget).setIncreaseRate(1).setDecreaseFactor(0.5).build();
        this.client = HttpClients.create(config.requestTimeout());
        this.converter = new ListOperationRequestConverter(config);
        this.metrics = new SinkMetrics(context.metricGroup(), () -> inFlight, pending::size,
                () -> pending.oldestPendingAgeNanos(System.nanoTime()) / 1_000_000);
        context.metricGroup().gauge("concurrencyLimit", () -> limit);
        context.metricGroup().gauge("operationsCollapsed", pending::collapsedCount);

        if (config.preflight()) {
            Preflight.atStart("Adestra", () -> AdestraPreflight.check(client, config));
        }
        long now = System.nanoTime();
        int restoredCount = 0;
        for (AdestraWriterState state : restored) {
            for (ListOperation op : state.pending()) {
                pending.offer(op, now);
                restoredCount++;
            }
        }
        if (restoredCount > 0) {
            LOG.info("Adestra writer {} re-sends {} operations not acknowledged before the restore", subtask, restoredCount);
        }
        LOG.info("Adestra writer {}/{} started: {} of {} concurrent requests", subtask, parallelism, budget,
                config.maxConcurrency());
    }


    @Override
    public void write(ListOperation op, Context context) throws IOException, InterruptedException {
        while (pending.size() >= config.maxBufferedOperations()) {
            mailbox.yield();
        }
        pending.offer(op, System.nanoTime());
        sendWhatMayGo();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        sendWhatMayGo();
        if (endOfInput) {
            // A bounded run (the nightly job) ends only when every operation is applied or dead-lettered.
            while (!pending.isEmpty()) {
                mailbox.yield();
            }
        }
    }

    @Override
    public List<AdestraWriterState> snapshotState(long checkpointId) {
        List<ListOperation> ops = pending.snapshot();
        return ops.isEmpty() ? List.of() : List.of(new AdestraWriterState(ops));
    }

    private void sendWhatMayGo() {
        while (inFlight < limit) {
            PendingOperations.Slot slot = pending.pollSendable(System.nanoTime());
            if (slot == null) {
                return;
            }
            send(slot);
        }
    }

    private void send(PendingOperations.Slot slot) {
        ListOperation op = slot.inFlight;
        inFlight++;
        metrics.sent(1);
        long started = System.nanoTime();
        client.sendAsync(converter.toRequest(op), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    try {
                        mailbox.execute(() -> onAnswer(slot, op, started, response, failure), "adestra answer");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down; the operation is in the last checkpoint's state.
                    }
                });
    }

    private void onAnswer(PendingOperations.Slot slot, ListOperation op, long started, HttpResponse<String> response,
            Throwable failure) throws IOException {
        inFlight--;
        long now = System.nanoTime();
        metrics.latency((now - started) / 1_000_000);
        ResponseClass outcome = response != null ? ResponseClass.ofStatus(response.statusCode()) : ResponseClass.ofFailure(failure);
        if (outcome == ResponseClass.RETRY) {
            metrics.unavailable(clock.millis());
        } else {
            metrics.available();
        }
        switch (outcome) {
            case SUCCESS -> {
                pending.finished(slot);
                metrics.succeeded(1);
                metrics.appliedAfterEvent(op.eventTimeMillis(), clock.millis());
                limit = aimd.scaleUp(limit);
            }
            case PERMANENT -> {
                int attempts = pending.attemptsOfInFlight(slot);
                pending.finished(slot);
                deadLetter(op, response, failure, attempts);
            }
            case AUTH -> throw new IOException("Adestra rejected the API key (HTTP " + response.statusCode()
                    + ") while sending: the key (" + config.apiKey().source()
                    + ") is invalid or lacks permission to manage contacts and lists");
            case RETRY -> retry(slot, op, response, failure, now);
        }
        sendWhatMayGo();
    }

    private void retry(PendingOperations.Slot slot, ListOperation op, HttpResponse<String> response, Throwable failure,
            long now) {
        if (response != null && response.statusCode() == 429) {
            limit = Math.max(1, aimd.scaleDown(limit));
        }
        int attempts = pending.attemptsOfInFlight(slot);
        Duration elapsed = Duration.ofNanos(now - pending.firstAttemptNanosOfInFlight(slot));
        Optional<Duration> retryAfter = response == null
                ? Optional.empty()
                : RetryAfter.parse(response.headers().firstValue("Retry-After"), clock);
        Optional<Duration> delay = config.retryPolicy().nextDelay(attempts, elapsed, retryAfter, random.nextDouble());
        switch (pending.failed(slot, delay.isPresent())) {
            case GIVE_UP -> deadLetter(op, response, failure, attempts);
            case RETRY, SUPERSEDED -> {
                metrics.retried(1);
                long wait = delay.orElse(config.retryPolicy().initialBackoff()).toMillis();
                timers.registerTimer(timers.getCurrentProcessingTime() + wait, t -> {
                    pending.backoffEnded(slot);
                    sendWhatMayGo();
                });
            }
        }
    }

    private void deadLetter(ListOperation op, HttpResponse<String> response, Throwable failure, int attempts) {
        int status = response == null ? 0 : response.statusCode();
        String reason = response != null
                ? (response.body() == null || response.body().isBlank() ? "HTTP " + status : response.body())
                : ResponseClass.describeFailure(failure);
        if (attempts > 1) {
            reason = "gave up after " + attempts + " attempts; last: " + reason;
        }
        addDeadLetter(new DeadLetter("adestra", ListOperationRequestConverter.key(op),
                ListOperationRequestConverter.describe(op), status, reason, attempts, clock.millis()));
        metrics.deadLettered(1);
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.ConcurrencyBudget;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.GaugeAccumulator;
import dev.audiencemirror.connector.common.HttpClients;
import dev.audiencemirror.connector.common.Preflight;
import dev.audiencemirror.connector.common.ResponseClass;
import dev.audiencemirror.connector.common.RetryAfter;
import dev.audiencemirror.connector.common.RotatingSecret;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.sink.writer.strategy.AIMDScalingStrategy;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends list operations as they arrive, from the Adestra sink's pre-write topology, keyed by
 * (contact, list): at most one request per key at a time and at most this subtask's share of the
 * account's concurrency in all. Answers come back on HTTP client threads and are handed to the
 * task's mailbox, so all bookkeeping happens on one thread.
 *
 * <ul>
 *   <li>2xx: done. 404 (list) / 400 (contact) and other 4xx: dead letter (side output
 *       {@link #DEAD_LETTERS}), the job goes on.
 *   <li>A removal answered 404: the list is checked ({@link ListChecks}, {@code GET /lists/{id}},
 *       remembered a minute): it exists → done, the contact was not on it ("already absent",
 *       {@value AdestraSink#REMOVALS_ALREADY_ABSENT}); it does not → the missing-list dead letter.
 *   <li>429, 5xx, timeouts, refused or dropped connections: retried with backoff and jitter, at
 *       least {@code Retry-After}, as the retry policy says (the stream: until success); 429 also
 *       halves the in-flight limit (AIMD), which success grows back.
 *   <li>401/403: the key may have been rotated: it is read again and the operation sent once more
 *       with it (at once); refused again with the same key, the job fails with a clear message.
 * </ul>
 *
 * <p>Late applies: after a call whose fate is unknown (no answer, a 5xx, or open in a failed
 * attempt), the key's newest operation is sent once more {@code settleDelay} after it was
 * acknowledged ({@link PendingOperations}; the argument is in the connector's README).
 *
 * <p>The key is read here, on the TaskManager, from the reference the config carries
 * ({@link RotatingSecret}): a key file is read again every {@code apiKeyCheckInterval} and after a
 * refusal, so a rotated key is taken up without a restart.
 *
 * <p>At a checkpoint nothing is awaited: for every key whose work changed since the last one, the
 * newest operation not yet acknowledged is written to the keyed value state {@value #STATE} (or
 * the state cleared). Keyed state moves with its key group on a rescale, so after a restore at any
 * parallelism each restored operation is on the subtask that receives every newer operation of its
 * key, and the one-request-per-key rule covers both. At the end of a bounded input everything is
 * awaited. Holding more than {@code maxBufferedOperations}, the operator stops taking input until
 * answers free room: backpressure.
 */
final class AdestraSendOperator extends AbstractStreamOperator<ListOperation>
        implements OneInputStreamOperator<ListOperation, ListOperation>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdestraSendOperator.class);

    /** State name; with the operator's uid ({@code <sink uid>: adestra-send}) part of savepoints. */
    static final String STATE = "adestra-unacknowledged";
    /** State name: per key with a dead letter, its version, until a newer operation is applied. */
    static final String DEAD_LETTERED_STATE = "adestra-dead-lettered";
    static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("adestra-dead-letters",
            TypeInformation.of(DeadLetter.class));

    private final AdestraSinkConfig config;
    private final transient MailboxExecutor mailbox;
    private final transient PendingOperations pending;
    /** Removals answered 404, waiting for their list's check. */
    private final transient ListChecks<AbsentRemoval> listChecks = new ListChecks<>();
    private final transient SplittableRandom random = new SplittableRandom();
    private final transient Clock clock = Clock.systemUTC();

    private transient ValueState<ListOperation> unacknowledged;
    private transient ValueState<Long> deadLetteredVersion;
    /** Keys whose newest finished operation was a dead letter, with its version (few: kept in memory). */
    private final transient Map<ListKey, Long> deadLettered = new HashMap<>();
    private transient Set<ListKey> deadLetteredChanged = new HashSet<>();
    private transient HttpClient client;
    private transient RotatingSecret apiKey;
    /** Per key refused with the key in use, the version of the operation that had its one retry since. */
    private final transient Map<ListKey, Long> retriedAfterRefusal = new HashMap<>();
    private transient ListOperationRequestConverter converter;
    private transient AIMDScalingStrategy aimd;
    private transient SinkMetrics metrics;
    private transient Counter alreadyAbsent;
    private transient LongCounter alreadyAbsentTotal;
    private transient Counter resent;
    private transient LongCounter resentTotal;
    private transient int limit;
    private transient int inFlight;
    private transient int restored;

    AdestraSendOperator(StreamOperatorParameters<ListOperation> parameters, AdestraSinkConfig config) {
        super(parameters);
        this.config = config;
        this.pending = new PendingOperations(config.settleDelay().toNanos());
        this.mailbox = parameters.getMailboxExecutor();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        unacknowledged = getPartitionedState(new ValueStateDescriptor<>(STATE, TypeInformation.of(ListOperation.class)));
        deadLetteredVersion = getPartitionedState(new ValueStateDescriptor<>(DEAD_LETTERED_STATE, Types.LONG));
        if (!context.isRestored()) {
            return;
        }
        long now = System.nanoTime();
        for (ListKey key : keysOf(STATE)) {
            setCurrentKey(key);
            ListOperation op = unacknowledged.value();
            if (op != null && pending.offerRestored(op, now)) {
                restored++;
            }
        }
        pending.takeChangedKeys(); // what was restored is in the state already
        for (ListKey key : keysOf(DEAD_LETTERED_STATE)) {
            setCurrentKey(key);
            Long version = deadLetteredVersion.value();
            if (version != null) {
                deadLettered.put(key, version);
            }
        }
    }

    private List<ListKey> keysOf(String state) {
        KeyedStateBackend<ListKey> backend = getKeyedStateBackend();
        // Read first: the caller reads the state being iterated.
        try (Stream<ListKey> all = backend.getKeys(state, VoidNamespace.INSTANCE)) {
            return new ArrayList<>(all.toList());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int budget;
        try {
            budget = ConcurrencyBudget.forSubtask(config.maxConcurrency(), parallelism, subtask);
        } catch (IllegalArgumentException e) {
            // The same on every restart: do not burn restart attempts on it.
            throw new SuppressRestartsException(e);
        }
        limit = budget;
        aimd = AIMDScalingStrategy.builder(budget).setIncreaseRate(1).setDecreaseFactor(0.5).build();
        try {
            apiKey = RotatingSecret.open(config.apiKey(), "Adestra API key", config.apiKeyCheckInterval());
        } catch (IllegalStateException e) {
            throw new SuppressRestartsException(e);
        }
        client = HttpClients.create(config.requestTimeout());
        converter = new ListOperationRequestConverter(config);
        metrics = new SinkMetrics(getMetricGroup(), () -> inFlight, pending::size,
                () -> pending.oldestPendingAgeNanos(System.nanoTime()) / 1_000_000)
                .withAccumulators(getRuntimeContext(), AdestraSink.ACCUMULATORS);
        getMetricGroup().gauge(AdestraSink.CONCURRENCY_LIMIT, () -> limit);
        metrics.gaugeAccumulator(AdestraSink.CONCURRENCY_LIMIT, GaugeAccumulator.sum(() -> limit));
        getMetricGroup().gauge("operationsCollapsed", pending::collapsedCount);
        getMetricGroup().gauge("operationsRestored", () -> restored);
        alreadyAbsent = getMetricGroup().counter(AdestraSink.REMOVALS_ALREADY_ABSENT);
        alreadyAbsentTotal = getRuntimeContext().getLongCounter(
                SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.REMOVALS_ALREADY_ABSENT));
        resent = getMetricGroup().counter(AdestraSink.OPERATIONS_RESENT_AFTER_UNCERTAIN);
        resentTotal = getRuntimeContext().getLongCounter(
                SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.OPERATIONS_RESENT_AFTER_UNCERTAIN));
        apiKey.registerMetrics(getMetricGroup());
        if (restored > 0 || getRuntimeContext().getTaskInfo().getAttemptNumber() > 0) {
            // A failed attempt may still have calls open, for any key: they land within the settle delay.
            pending.fenceUntil(System.nanoTime() + config.settleDelay().toNanos());
        }

        if (config.preflight()) {
            Counter checkRetries = getMetricGroup().counter(AdestraSink.STARTUP_CHECK_RETRIES);
            LongCounter checkRetriesTotal = getRuntimeContext().getLongCounter(
                    SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.STARTUP_CHECK_RETRIES));
            Preflight.atStart("Adestra", () -> AdestraPreflight.check(client, config, apiKey.current(), () -> {
                checkRetries.inc();
                checkRetriesTotal.add(1L);
            }));
        }
        if (restored > 0) {
            LOG.info("Adestra sender {} re-sends {} operations not acknowledged before the restore", subtask, restored);
        }
        LOG.info("Adestra sender {} of {} started: up to {} requests at a time (its share of max-concurrency {}); retries: {};"
                + " key from {} (fingerprint {})", subtask + 1, parallelism, budget, config.maxConcurrency(),
                config.retryPolicy().describe(), config.apiKey(), apiKey.current().fingerprintHex());
        sendWhatMayGo();
    }

    @Override
    public void processElement(StreamRecord<ListOperation> element) throws Exception {
        while (pending.size() >= config.maxBufferedOperations()) {
            mailbox.yield();
        }
        pending.offer(element.getValue(), System.nanoTime());
        sendWhatMayGo();
    }

    @Override
    public void endInput() throws Exception {
        // A bounded run (the nightly job) ends only when every operation is applied or dead-lettered.
        sendWhatMayGo();
        while (!pending.isEmpty()) {
            mailbox.yield();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (ListKey key : pending.takeChangedKeys()) {
            setCurrentKey(key);
            ListOperation newest = pending.newestUnfinished(key);
            if (newest == null) {
                unacknowledged.clear();
            } else {
                unacknowledged.update(newest);
            }
        }
        for (ListKey key : deadLetteredChanged) {
            setCurrentKey(key);
            Long version = deadLettered.get(key);
            if (version == null) {
                deadLetteredVersion.clear();
            } else {
                deadLetteredVersion.update(version);
            }
        }
        deadLetteredChanged = new HashSet<>();
    }

    private void sendWhatMayGo() {
        while (inFlight < limit) {
            // A list's check first: removals already answered wait for it, holding their keys.
            Long list = listChecks.nextCheck();
            if (list != null) {
                checkList(list);
                continue;
            }
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
        if (!slot.inFlightIsResend) {
            metrics.sent(1); // a re-send is counted in operationsResentAfterUncertain, not as another operation
        }
        long started = System.nanoTime();
        Secret key = apiKey.current();
        long keyChanges = apiKey.changes();
        client.sendAsync(converter.toRequest(op, key), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    try {
                        mailbox.execute(() -> onAnswer(slot, op, started, keyChanges, response, failure), "adestra answer");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down; the operation is in the last checkpoint's state.
                    }
                });
    }

    /** @param keyChanges the key's {@link RotatingSecret#changes()} when the request was sent: which key it carried */
    private void onAnswer(PendingOperations.Slot slot, ListOperation op, long started, long keyChanges,
            HttpResponse<String> response, Throwable failure) throws IOException {
        inFlight--;
        long now = System.nanoTime();
        metrics.latency((now - started) / 1_000_000);
        ResponseClass outcome = response != null ? ResponseClass.ofStatus(response.statusCode()) : ResponseClass.ofFailure(failure);
        if (outcome == ResponseClass.RETRY) {
            metrics.unavailable(clock.millis());
        } else {
            metrics.available();
        }
        if (outcome != ResponseClass.AUTH && !retriedAfterRefusal.isEmpty()) {
            retriedAfterRefusal.remove(op.key());
        }
        switch (outcome) {
            case SUCCESS -> {
                if (!slot.inFlightIsResend) {
                    metrics.succeeded(1);
                    metrics.appliedAfterEvent(op.eventTimeMillis(), clock.millis());
                }
                acknowledged(slot, op, now);
                limit = aimd.scaleUp(limit);
                supersedeDeadLetters(op, response.statusCode());
            }
            case PERMANENT -> {
                if (response != null && response.statusCode() == 404 && op.action() == ListAction.REMOVE) {
                    removalNotFound(new AbsentRemoval(slot, op, response), now);
                } else {
                    int attempts = pending.attemptsOfInFlight(slot);
                    pending.finished(slot);
                    deadLetter(op, response, failure, attempts);
                }
            }
            case AUTH -> keyRefused(slot, op, response.statusCode(), keyChanges);
            case RETRY -> {
                throttledBy(response);
                // Only a 429 says nothing was done; a 5xx or no answer may still take effect.
                retry(slot, op, response, failure, now, response == null || response.statusCode() != 429);
            }
        }
        sendWhatMayGo();
    }

    /** The operation was applied; if an older call of its key might land later, it is sent again after the settle delay. */
    private void acknowledged(PendingOperations.Slot slot, ListOperation op, long now) {
        if (!pending.acknowledged(slot, now)) {
            return;
        }
        long at = getProcessingTimeService().getCurrentProcessingTime() + config.settleDelay().toMillis();
        getProcessingTimeService().registerTimer(at, t -> {
            if (pending.settleEnded(slot, op)) {
                resent.inc();
                resentTotal.add(1);
            }
            sendWhatMayGo();
        });
    }

    /** A removal answered 404, kept with that answer while its list is checked: the dead letter's reason if the list is missing. */
    private record AbsentRemoval(PendingOperations.Slot slot, ListOperation op, HttpResponse<String> response) {}

    /**
     * A removal answered 404: the contact is not on the list, or the list does not exist. What the
     * list's remembered check says decides; without one, the removal waits for a check (its key
     * stays in flight meanwhile, so nothing newer for it goes out before).
     */
    private void removalNotFound(AbsentRemoval removal, long now) {
        switch (listChecks.known(removal.op().listId(), now)) {
            case EXISTS -> removedAlready(removal);
            case MISSING -> listMissing(removal);
            case UNKNOWN -> listChecks.await(removal.op().listId(), removal);
        }
    }

    /** The list exists, so a 404 to the removal says the contact is not on it: the removal is done. */
    private void removedAlready(AbsentRemoval removal) {
        ListOperation op = removal.op();
        if (!removal.slot().inFlightIsResend) {
            metrics.succeeded(1);
            metrics.appliedAfterEvent(op.eventTimeMillis(), clock.millis());
            alreadyAbsent.inc();
            alreadyAbsentTotal.add(1);
        }
        acknowledged(removal.slot(), op, System.nanoTime());
        // Done as a 204 would have said it (DeadLetter.applied takes a 2xx).
        supersedeDeadLetters(op, 204);
    }

    /** The list does not exist: the dead letter any 404 got before, with the removal's own answer. */
    private void listMissing(AbsentRemoval removal) {
        int attempts = pending.attemptsOfInFlight(removal.slot());
        pending.finished(removal.slot());
        deadLetter(removal.op(), removal.response(), null, attempts);
    }

    /** {@code GET /lists/{id}} for removals answered 404; it takes one of the subtask's connections as a removal would. */
    private void checkList(long listId) {
        inFlight++;
        Secret key = apiKey.current();
        long keyChanges = apiKey.changes();
        client.sendAsync(ListOperationRequestConverter.readList(config, listId, key), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    try {
                        mailbox.execute(() -> onListChecked(listId, keyChanges, response, failure), "adestra list check");
                    } catch (RejectedExecutionException closing) {
                        // The task is shutting down; the removals are in the last checkpoint's state.
                    }
                });
    }

    /**
     * The list's check answered: 2xx → its removals are done; 404 → they are dead letters as
     * before. Any other answer decides nothing about the list: each removal is handled as if that
     * answer had been its own (429/5xx/no answer: retried with backoff, then sent again; 401/403:
     * the key read again; another 4xx: the removal's 404 dead letter).
     */
    private void onListChecked(long listId, long keyChanges, HttpResponse<String> response, Throwable failure)
            throws IOException {
        inFlight--;
        long now = System.nanoTime();
        ResponseClass outcome = response != null ? ResponseClass.ofStatus(response.statusCode()) : ResponseClass.ofFailure(failure);
        if (outcome == ResponseClass.RETRY) {
            metrics.unavailable(clock.millis());
        } else {
            metrics.available();
        }
        if (outcome == ResponseClass.SUCCESS) {
            listChecks.answered(listId, true, now).forEach(this::removedAlready);
        } else if (response != null && response.statusCode() == 404) {
            listChecks.answered(listId, false, now).forEach(this::listMissing);
        } else {
            if (outcome == ResponseClass.RETRY) {
                throttledBy(response); // once for the check, however many removals wait for it
            }
            for (AbsentRemoval removal : listChecks.unanswered(listId)) {
                switch (outcome) {
                    // The removal's own call was answered (404): only the check failed.
                    case RETRY -> retry(removal.slot(), removal.op(), response, failure, now, false);
                    case AUTH -> keyRefused(removal.slot(), removal.op(), response.statusCode(), keyChanges);
                    default -> listMissing(removal);
                }
            }
        }
        sendWhatMayGo();
    }

    /**
     * 401/403: the key may have been rotated. Read it again and send the operation once more, at
     * once; a request that carried an older key than the one now read does not use up that one
     * retry. Refused again with the key in use, the job fails.
     */
    private void keyRefused(PendingOperations.Slot slot, ListOperation op, int status, long sentWithChanges)
            throws IOException {
        Secret key = apiKey.reloadAfterRejection();
        boolean sentWithOlderKey = apiKey.changes() > sentWithChanges;
        if (!sentWithOlderKey) {
            Long retried = retriedAfterRefusal.get(op.key());
            if (retried != null && retried == op.version()) {
                throw new IOException(AdestraPreflight.rejectedKey(status, " while sending, also after reading the key"
                        + " again", key));
            }
            retriedAfterRefusal.put(op.key(), op.version());
        }
        LOG.warn("Adestra refused the API key (HTTP {}) for contact {} list {}: sending it again with the key read"
                + " now (fingerprint {})", status, op.contactId(), op.listId(), key.fingerprintHex());
        metrics.retried(1);
        pending.failed(slot, true);
        pending.backoffEnded(slot);
    }

    /** A 429 halves the in-flight limit (AIMD); successes grow it back. */
    private void throttledBy(HttpResponse<String> response) {
        if (response != null && response.statusCode() == 429) {
            limit = Math.max(1, aimd.scaleDown(limit));
        }
    }

    /** @param fateUnknown the failed call may still take effect (no answer, or a 5xx) */
    private void retry(PendingOperations.Slot slot, ListOperation op, HttpResponse<String> response, Throwable failure,
            long now, boolean fateUnknown) {
        int attempts = pending.attemptsOfInFlight(slot);
        Duration elapsed = Duration.ofNanos(now - pending.firstAttemptNanosOfInFlight(slot));
        Optional<Duration> retryAfter = response == null
                ? Optional.empty()
                : RetryAfter.parse(response.headers().firstValue("Retry-After"), clock);
        Optional<Duration> delay = config.retryPolicy().nextDelay(attempts, elapsed, retryAfter, random.nextDouble());
        switch (pending.failed(slot, delay.isPresent(), fateUnknown)) {
            case GIVE_UP -> deadLetter(op, response, failure, attempts);
            case RETRY, SUPERSEDED -> {
                metrics.retried(1);
                long wait = delay.orElse(config.retryPolicy().initialBackoff()).toMillis();
                getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + wait, t -> {
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
        output.collect(DEAD_LETTERS, new StreamRecord<>(new DeadLetter(AdestraDeadLetters.DESTINATION, ListOperationRequestConverter.key(op),
                ListOperationRequestConverter.describe(op), status, reason, attempts, clock.millis())));
        metrics.deadLettered(1);
        deadLettered.merge(op.key(), op.version(), Math::max);
        deadLetteredChanged.add(op.key());
    }

    /**
     * A newer operation than the key's dead letter was applied: a note to the dead-letter output
     * says so, so that {@code redrive} never sends the older refused one after it.
     */
    private void supersedeDeadLetters(ListOperation op, int status) {
        Long refused = deadLettered.get(op.key());
        if (refused == null || refused >= op.version()) {
            return;
        }
        output.collect(DEAD_LETTERS, new StreamRecord<>(DeadLetter.applied("adestra", ListOperationRequestConverter.key(op),
                ListOperationRequestConverter.describe(op), status, "the stream", clock.millis())));
        deadLettered.remove(op.key());
        deadLetteredChanged.add(op.key());
    }
}

package dev.audiencemirror.connector.common;

import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics both HTTP sinks expose, with the same names, in the writer's metric group:
 * operations sent (Flink's standard {@code numRecordsSend}), succeeded, retried, dead-lettered,
 * requests in flight, pending operations, oldest pending operation's age, how long the API has
 * been unreachable, request latency, and the delay from an operation's event to its confirmation.
 * The API key is never part of a metric name or value.
 *
 * <p>A sink that runs in an operator may also publish the counts and gauges as accumulators
 * ({@link #withAccumulators}), named {@code <sink>.<metric>} ({@link #accumulator}), for the job's
 * client to read while the job runs.
 */
@Internal
public final class SinkMetrics {
    private static final int LATENCY_WINDOW = 1024;

    public static final String SENT = "numRecordsSend";
    public static final String SUCCEEDED = "operationsSucceeded";
    public static final String RETRIED = "operationsRetried";
    public static final String DEAD_LETTERED = "operationsDeadLettered";
    public static final String IN_FLIGHT = "inFlightRequests";
    public static final String PENDING = "pendingOperations";
    public static final String OLDEST_PENDING_AGE = "oldestPendingOperationAgeMillis";

    private final Counter sent;
    private final Counter succeeded;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter sendErrors;
    private final Histogram latencyMillis;
    private final Histogram eventToAppliedMillis;
    private final MetricGroup group;
    private final Supplier<Integer> inFlightRequests;
    private final Supplier<Integer> pendingOperations;
    private final Supplier<Long> oldestPendingAgeMillis;
    private RuntimeContext accumulators;
    private String accumulatorPrefix;
    private LongCounter sentTotal;
    private LongCounter succeededTotal;
    private LongCounter retriedTotal;
    private LongCounter deadLetteredTotal;
    /** When the current run of transient failures began (no answer but 429/5xx/none since), 0 when none. */
    private volatile long unavailableSinceMillis;

    public SinkMetrics(
            SinkWriterMetricGroup group,
            Supplier<Integer> inFlightRequests,
            Supplier<Integer> pendingOperations,
            Supplier<Long> oldestPendingAgeMillis) {
        this(group, group.getNumRecordsSendCounter(), group.getNumRecordsSendErrorsCounter(), inFlightRequests,
                pendingOperations, oldestPendingAgeMillis);
    }

    /**
     * For a sink that sends from an operator of its pre-write topology: the same metrics in that
     * operator's group, {@code numRecordsSend} and {@code numRecordsSendErrors} under the names a
     * writer's group gives them.
     */
    public SinkMetrics(
            MetricGroup operatorGroup,
            Supplier<Integer> inFlightRequests,
            Supplier<Integer> pendingOperations,
            Supplier<Long> oldestPendingAgeMillis) {
        this(operatorGroup, operatorGroup.counter(SENT), operatorGroup.counter("numRecordsSendErrors"),
                inFlightRequests, pendingOperations, oldestPendingAgeMillis);
    }

    private SinkMetrics(
            MetricGroup group,
            Counter sent,
            Counter sendErrors,
            Supplier<Integer> inFlightRequests,
            Supplier<Integer> pendingOperations,
            Supplier<Long> oldestPendingAgeMillis) {
        this.group = group;
        this.inFlightRequests = inFlightRequests;
        this.pendingOperations = pendingOperations;
        this.oldestPendingAgeMillis = oldestPendingAgeMillis;
        this.sent = sent;
        this.sendErrors = sendErrors;
        this.succeeded = group.counter(SUCCEEDED);
        this.retried = group.counter(RETRIED);
        this.deadLettered = group.counter(DEAD_LETTERED);
        this.latencyMillis = group.histogram("requestLatencyMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        this.eventToAppliedMillis =
                group.histogram("eventToAppliedMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge(IN_FLIGHT, inFlightRequests::get);
        group.gauge(PENDING, pendingOperations::get);
        group.gauge(OLDEST_PENDING_AGE, oldestPendingAgeMillis::get);
        group.gauge("apiUnavailableMillis", () -> unavailableForMillis(System.currentTimeMillis()));
    }

    /** The accumulator a sink named {@code sink} publishes {@code metric} under, e.g. {@code adestra.operationsSucceeded}. */
    public static String accumulator(String sink, String metric) {
        return sink + "." + metric;
    }

    /**
     * Also counts in accumulators of {@code context} ({@link #SENT}, {@link #SUCCEEDED},
     * {@link #RETRIED}, {@link #DEAD_LETTERED}; gauges {@link #IN_FLIGHT} and {@link #PENDING} summed
     * over subtasks, {@link #OLDEST_PENDING_AGE} their maximum).
     */
    public SinkMetrics withAccumulators(RuntimeContext context, String sink) {
        this.accumulators = context;
        this.accumulatorPrefix = sink;
        sentTotal = context.getLongCounter(accumulator(sink, SENT));
        succeededTotal = context.getLongCounter(accumulator(sink, SUCCEEDED));
        retriedTotal = context.getLongCounter(accumulator(sink, RETRIED));
        deadLetteredTotal = context.getLongCounter(accumulator(sink, DEAD_LETTERED));
        gaugeAccumulator(IN_FLIGHT, GaugeAccumulator.sum(() -> inFlightRequests.get()));
        gaugeAccumulator(PENDING, GaugeAccumulator.sum(() -> pendingOperations.get()));
        gaugeAccumulator(OLDEST_PENDING_AGE, GaugeAccumulator.max(() -> oldestPendingAgeMillis.get()));
        return this;
    }

    /** One more gauge as an accumulator, when {@link #withAccumulators} was called (e.g. a concurrency limit). */
    public void gaugeAccumulator(String metric, GaugeAccumulator gauge) {
        if (accumulators != null && accumulators.getAccumulator(accumulator(accumulatorPrefix, metric)) == null) {
            accumulators.addAccumulator(accumulator(accumulatorPrefix, metric), gauge);
        }
    }

    /**
     * A request failed in a way worth retrying (429, 5xx, timeout, refused or dropped
     * connection): if it is the first since the API last answered, the unavailability starts now.
     */
    public void unavailable(long nowMillis) {
        if (unavailableSinceMillis == 0) {
            unavailableSinceMillis = nowMillis;
        }
    }

    /** The API answered (applied, or refused the operation itself): it is reachable. */
    public void available() {
        unavailableSinceMillis = 0;
    }

    /**
     * For the gauge {@code apiUnavailableMillis}: how long every answer has been a transient
     * failure, 0 while the API answers. What an "unreachable for N minutes" alert reads.
     */
    public long unavailableForMillis(long nowMillis) {
        long since = unavailableSinceMillis;
        return since == 0 ? 0 : Math.max(0, nowMillis - since);
    }

    public void sent(long operations) {
        sent.inc(operations);
        add(sentTotal, operations);
    }

    public void succeeded(long operations) {
        succeeded.inc(operations);
        add(succeededTotal, operations);
    }

    public void retried(long operations) {
        retried.inc(operations);
        sendErrors.inc(operations);
        add(retriedTotal, operations);
    }

    public void deadLettered(long operations) {
        deadLettered.inc(operations);
        sendErrors.inc(operations);
        add(deadLetteredTotal, operations);
    }

    private static void add(LongCounter counter, long n) {
        if (counter != null) {
            counter.add(n);
        }
    }

    public void latency(long millis) {
        latencyMillis.update(millis);
    }

    /**
     * How long after the event that caused it an operation was confirmed by the API: the
     * end-to-end delay a user sees (for the streaming job: event time to the contact being on or
     * off the list). Operations without an event time are not recorded.
     */
    public void appliedAfterEvent(long eventTimeMillis, long nowMillis) {
        if (eventTimeMillis > 0) {
            eventToAppliedMillis.update(Math.max(0, nowMillis - eventTimeMillis));
        }
    }

    /** For metrics only one connector has (e.g. operations per batch). */
    public MetricGroup group() {
        return group;
    }
}

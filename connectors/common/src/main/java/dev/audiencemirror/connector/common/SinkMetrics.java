package dev.audiencemirror.connector.common;

import java.util.function.Supplier;
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
 */
public final class SinkMetrics {
    private static final int LATENCY_WINDOW = 1024;

    private final Counter sent;
    private final Counter succeeded;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter sendErrors;
    private final Histogram latencyMillis;
    private final Histogram eventToAppliedMillis;
    private final MetricGroup group;
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
        this(operatorGroup, operatorGroup.counter("numRecordsSend"), operatorGroup.counter("numRecordsSendErrors"),
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
        this.sent = sent;
        this.sendErrors = sendErrors;
        this.succeeded = group.counter("operationsSucceeded");
        this.retried = group.counter("operationsRetried");
        this.deadLettered = group.counter("operationsDeadLettered");
        this.latencyMillis = group.histogram("requestLatencyMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        this.eventToAppliedMillis =
                group.histogram("eventToAppliedMillis", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge("inFlightRequests", inFlightRequests::get);
        group.gauge("pendingOperations", pendingOperations::get);
        group.gauge("oldestPendingOperationAgeMillis", oldestPendingAgeMillis::get);
        group.gauge("apiUnavailableMillis", () -> unavailableForMillis(System.currentTimeMillis()));
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
    }

    public void succeeded(long operations) {
        succeeded.inc(operations);
    }

    public void retried(long operations) {
        retried.inc(operations);
        sendErrors.inc(operations);
    }

    public void deadLettered(long operations) {
        deadLettered.inc(operations);
        sendErrors.inc(operations);
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

package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.common.SecretRef;
import java.time.Duration;
import java.util.Optional;

/**
 * What both destinations' settings have (read by {@link DestinationFields}), and which retry rule
 * each job applies to transient failures (429, 5xx, timeouts, refused or dropped connections): the
 * nightly run bounds attempts and time and leaves the rest to its next run, which diffs against
 * what was confirmed; the streaming job has no next run, so it retries until the API answers and
 * backpressures its sources meanwhile.
 */
public interface DestinationSettings {

    Endpoint baseUrl();

    Optional<SecretRef> apiKey();

    Duration requestTimeout();

    int maxAttempts();

    Duration maxRetryTime();

    Duration maxBackoff();

    /** The nightly run: a batch with an end, whose next run retries what this one could not send. */
    default RetryPolicy boundedRetries() {
        return RetryPolicy.builder().maxAttempts(maxAttempts()).maxRetryTime(maxRetryTime())
                .maxBackoff(atLeastInitial(maxBackoff())).build();
    }

    /** The streaming job: waits an outage out, with backpressure, however long it lasts. */
    default RetryPolicy retriesUntilSuccess() {
        return RetryPolicy.builder().maxBackoff(atLeastInitial(maxBackoff())).untilSuccess().build();
    }

    /** A max backoff shorter than the policy's first wait would be refused; it means "that short". */
    private static Duration atLeastInitial(Duration maxBackoff) {
        Duration initial = RetryPolicy.builder().build().initialBackoff();
        return maxBackoff.compareTo(initial) < 0 ? initial : maxBackoff;
    }
}

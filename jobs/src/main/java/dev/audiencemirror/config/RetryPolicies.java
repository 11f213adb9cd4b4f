package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.RetryPolicy;
import java.time.Duration;

/**
 * Which retry rule each job applies to transient failures (429, 5xx, timeouts, refused or
 * dropped connections), for both destinations: the nightly run bounds attempts and time and
 * leaves the rest to its next run, which diffs against what was confirmed; the streaming job has
 * no next run, so it retries until the API answers and backpressures its sources meanwhile.
 */
final class RetryPolicies {
    private RetryPolicies() {}

    static RetryPolicy bounded(int maxAttempts, Duration maxRetryTime, Duration maxBackoff) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).maxRetryTime(maxRetryTime)
                .maxBackoff(atLeastInitial(maxBackoff)).build();
    }

    static RetryPolicy untilSuccess(Duration maxBackoff) {
        return RetryPolicy.builder().maxBackoff(atLeastInitial(maxBackoff)).untilSuccess().build();
    }

    /** A max backoff shorter than the policy's first wait would be refused; it means "that short". */
    private static Duration atLeastInitial(Duration maxBackoff) {
        Duration initial = RetryPolicy.builder().build().initialBackoff();
        return maxBackoff.compareTo(initial) < 0 ? initial : maxBackoff;
    }
}

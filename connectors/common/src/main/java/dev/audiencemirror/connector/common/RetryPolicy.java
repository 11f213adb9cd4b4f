package dev.audiencemirror.connector.common;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;

/**
 * When to retry a failed request and how long to wait: exponential backoff with jitter, capped at
 * {@code maxBackoff}, at least what the server asked for in {@code Retry-After}. Either bounded by
 * a number of attempts and a total time (a batch run, which has an end and a next run), or
 * {@link Builder#untilSuccess() until success} (a streaming job, which waits an outage out with
 * backpressure). Immutable; one instance serves every request of a sink.
 */
@PublicEvolving
public final class RetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryTime;
    private final boolean untilSuccess;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryTime = b.maxRetryTime;
        this.untilSuccess = b.untilSuccess;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The wait before the next attempt, or empty when the operation must give up (and go to the
     * dead-letter output); never empty for a policy {@link Builder#untilSuccess() until success}.
     *
     * @param attemptsMade attempts already made, at least 1
     * @param elapsed time since the first attempt
     * @param retryAfter what the server asked for, if anything
     * @param random a uniform number in [0, 1) for the jitter
     */
    public Optional<Duration> nextDelay(int attemptsMade, Duration elapsed, Optional<Duration> retryAfter, double random) {
        if (!untilSuccess && attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        // Shift capped at 2^20: beyond that the max backoff applies anyway, and the long cannot overflow.
        long base = initialBackoff.toMillis() << Math.min(attemptsMade - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        // "Equal jitter": at least half the backoff, so retries spread out but never bunch at zero.
        long jittered = capped / 2 + (long) (random * (capped - capped / 2));
        long delay = Math.max(jittered, retryAfter.map(Duration::toMillis).orElse(0L));
        if (!untilSuccess && elapsed.toMillis() + delay > maxRetryTime.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(delay));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration maxRetryTime() {
        return maxRetryTime;
    }

    /** Whether transient failures are retried however long they last (attempts and time unbounded). */
    public boolean untilSuccess() {
        return untilSuccess;
    }

    /** For a log line, in words: "up to 10 attempts within 5m, waits 0.1s to 30s". */
    public String describe() {
        String waits = "waits " + words(initialBackoff) + " to " + words(maxBackoff);
        return untilSuccess ? "until success, " + waits
                : "up to " + maxAttempts + " attempts within " + words(maxRetryTime) + ", " + waits;
    }

    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        if (untilSuccess) {
            return "RetryPolicy{untilSuccess, initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + '}';
        }
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", maxRetryTime=" + maxRetryTime + '}';
    }

    /** Validating builder; defaults suit both APIs. */
    public static final class Builder {
        private int maxAttempts = 10;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryTime = Duration.ofMinutes(5);
        private boolean untilSuccess;

        private Builder() {}

        /**
         * Retry transient failures until they succeed, whatever {@link #maxAttempts} and
         * {@link #maxRetryTime} say: the waits still grow up to {@link #maxBackoff} and stay there.
         */
        public Builder untilSuccess() {
            this.untilSuccess = true;
            return this;
        }

        /** Attempts in all, the first included; 1 means never retry. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive(initialBackoff, "initialBackoff");
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            return this;
        }

        /** Time from the first attempt after which no further retry starts. */
        public Builder maxRetryTime(Duration maxRetryTime) {
            this.maxRetryTime = positive(maxRetryTime, "maxRetryTime");
            return this;
        }

        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
            }
            return new RetryPolicy(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}

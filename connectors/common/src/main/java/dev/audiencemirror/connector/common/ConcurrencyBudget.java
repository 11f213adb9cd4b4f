package dev.audiencemirror.connector.common;

import org.apache.flink.annotation.Internal;

/**
 * Splits an account-wide limit on concurrent requests among a sink's parallel subtasks, so that
 * their sum never exceeds it: subtask {@code i} of {@code p} gets {@code total / p}, plus one for
 * the first {@code total % p} subtasks. With more subtasks than the limit, some would get nothing:
 * that is refused when the sink is built.
 */
@Internal
public final class ConcurrencyBudget {
    private ConcurrencyBudget() {}

    public static int forSubtask(int total, int parallelism, int subtaskIndex) {
        check(total, parallelism);
        if (subtaskIndex < 0 || subtaskIndex >= parallelism) {
            throw new IllegalArgumentException("subtask " + subtaskIndex + " out of range for parallelism " + parallelism);
        }
        return total / parallelism + (subtaskIndex < total % parallelism ? 1 : 0);
    }

    public static void check(int total, int parallelism) {
        if (total < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1, was " + total);
        }
        if (parallelism > total) {
            throw new IllegalArgumentException("the sink runs with parallelism " + parallelism
                    + " but the account allows only " + total + " concurrent requests in all: every subtask needs at"
                    + " least one; lower the sink's parallelism to at most " + total);
        }
    }
}

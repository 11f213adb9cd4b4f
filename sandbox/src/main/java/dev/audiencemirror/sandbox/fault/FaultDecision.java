package dev.audiencemirror.sandbox.fault;

/**
 * What happens to one request.
 *
 * @param ordinal    the request's number since faults were last set (0 when out of scope)
 * @param latencyMs  delay before handling
 * @param kind       the injected outcome
 * @param status     for {@link Kind#STATUS}: the status to answer
 * @param afterApply for 5xx and drops: apply the request first, then fail
 * @param slowMs     for {@link Kind#SLOW}: how late the answer goes out
 * @param holdMs     for {@link Kind#HOLD}: how long the request waits before it takes effect
 * @param retryAfterSeconds for a 429 answer
 */
public record FaultDecision(long ordinal, long latencyMs, Kind kind, int status, boolean afterApply, long slowMs,
                            long holdMs, int retryAfterSeconds) {

    public enum Kind { NONE, STATUS, DROP, SLOW, HOLD }

    public static FaultDecision none(int retryAfterSeconds) {
        return new FaultDecision(0, 0, Kind.NONE, 0, false, 0, 0, retryAfterSeconds);
    }

    /** A short label for the log, or null when nothing is injected. */
    public String note() {
        switch (kind) {
            case STATUS: return "fault " + status + (afterApply ? " after apply" : "");
            case DROP: return "fault drop" + (afterApply ? " after apply" : "");
            case SLOW: return "slow " + slowMs + "ms";
            case HOLD: return "held " + holdMs + "ms";
            default: return null;
        }
    }
}

package dev.audiencemirror.sandbox.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.audiencemirror.sandbox.Endpoint;

/**
 * The faults the sandbox injects into destination API requests (never into {@code /_sandbox/}).
 * Each request in scope gets an ordinal (1, 2, …, restarting whenever faults are set or the sandbox
 * is reset) and every choice for it is drawn from a random generator seeded by (seed, ordinal), so
 * the same seed and the same request order give the same faults.
 *
 * <p>Per request, in this order: the first {@code failNext} requests answer {@code failNextStatus}
 * (0 = drop the connection); otherwise one draw picks 429, 500, 503, drop, slow
 * or hold by their rates (which must add up to at most 1). Every request in scope first waits
 * {@code latencyMs + uniform[0, latencyJitterMs]}.
 *
 * @param latencyMs          fixed delay before a request is handled
 * @param latencyJitterMs    extra random delay, uniform in [0, latencyJitterMs]
 * @param rate429            share of requests answered 429 with {@code Retry-After}
 * @param rate500            share answered 500
 * @param rate503            share answered 503
 * @param dropRate           share whose TCP connection is closed with no answer
 * @param slowRate           share applied at once but answered only after {@code slowMs}
 * @param slowMs             how late a slow answer is; pick it beyond the client's timeout
 * @param holdRate           share held {@code holdMs} before they take effect, then answered: a server
 *                           that applies a request after the client gave up on it
 * @param holdMs             how long a held request waits before it takes effect
 * @param failNext           the next N requests fail with {@code failNextStatus}
 * @param failNextStatus     status for {@code failNext}: 0 (drop) or 400–599
 * @param failAfterApplyRate share of injected 500/503/drops that happen after the request took effect
 *                           (the client sees a failure although the change was made)
 * @param retryAfterSeconds  {@code Retry-After} value on every 429, injected or from the concurrency limit
 * @param scope              which API the faults apply to
 * @param seed               seed for the draws; null = the sandbox's seed
 */
public record FaultConfig(long latencyMs,
                          long latencyJitterMs,
                          @JsonProperty("rate_429") double rate429,
                          @JsonProperty("rate_500") double rate500,
                          @JsonProperty("rate_503") double rate503,
                          double dropRate,
                          double slowRate,
                          long slowMs,
                          double holdRate,
                          long holdMs,
                          int failNext,
                          int failNextStatus,
                          double failAfterApplyRate,
                          int retryAfterSeconds,
                          Scope scope,
                          Long seed) {

    public static final long DEFAULT_SLOW_MS = 10_000;
    public static final long DEFAULT_HOLD_MS = 10_000;
    public static final int DEFAULT_FAIL_NEXT_STATUS = 503;
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

    /** No faults at all. */
    public static final FaultConfig NONE = builder().build();

    /** Which requests faults apply to. */
    public enum Scope {
        @JsonProperty("all") ALL,
        @JsonProperty("adestra") ADESTRA,
        @JsonProperty("taxonomy") TAXONOMY;

        public boolean covers(Endpoint endpoint) {
            if (endpoint.api() == null) {
                return false;
            }
            return this == ALL || endpoint.api().name().equals(name());
        }

        public static Scope parse(String s) {
            for (Scope v : values()) {
                if (v.name().equalsIgnoreCase(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("scope must be all, adestra or taxonomy, not '" + s + "'");
        }
    }

    public FaultConfig {
        if (scope == null) {
            scope = Scope.ALL;
        }
        nonNegative("latency_ms", latencyMs);
        nonNegative("latency_jitter_ms", latencyJitterMs);
        nonNegative("slow_ms", slowMs);
        nonNegative("hold_ms", holdMs);
        nonNegative("fail_next", failNext);
        nonNegative("retry_after_seconds", retryAfterSeconds);
        rate("rate_429", rate429);
        rate("rate_500", rate500);
        rate("rate_503", rate503);
        rate("drop_rate", dropRate);
        rate("slow_rate", slowRate);
        rate("hold_rate", holdRate);
        rate("fail_after_apply_rate", failAfterApplyRate);
        double sum = rate429 + rate500 + rate503 + dropRate + slowRate + holdRate;
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException(
                    "rate_429 + rate_500 + rate_503 + drop_rate + slow_rate + hold_rate must be at most 1, is " + sum);
        }
        if (failNextStatus != 0 && (failNextStatus < 400 || failNextStatus > 599)) {
            throw new IllegalArgumentException("fail_next_status must be 0 (drop) or 400-599, is " + failNextStatus);
        }
    }

    /** Reads the JSON form; absent fields take their defaults, so {@code {}} means no faults. */
    @JsonCreator
    static FaultConfig fromJson(@JsonProperty("latency_ms") Long latencyMs,
                                @JsonProperty("latency_jitter_ms") Long latencyJitterMs,
                                @JsonProperty("rate_429") Double rate429,
                                @JsonProperty("rate_500") Double rate500,
                                @JsonProperty("rate_503") Double rate503,
                                @JsonProperty("drop_rate") Double dropRate,
                                @JsonProperty("slow_rate") Double slowRate,
                                @JsonProperty("slow_ms") Long slowMs,
                                @JsonProperty("hold_rate") Double holdRate,
                                @JsonProperty("hold_ms") Long holdMs,
                                @JsonProperty("fail_next") Integer failNext,
                                @JsonProperty("fail_next_status") Integer failNextStatus,
                                @JsonProperty("fail_after_apply_rate") Double failAfterApplyRate,
                                @JsonProperty("retry_after_seconds") Integer retryAfterSeconds,
                                @JsonProperty("scope") Scope scope,
                                @JsonProperty("seed") Long seed) {
        return new FaultConfig(or(latencyMs, 0L), or(latencyJitterMs, 0L), or(rate429, 0.0), or(rate500, 0.0),
                or(rate503, 0.0), or(dropRate, 0.0), or(slowRate, 0.0), or(slowMs, DEFAULT_SLOW_MS),
                or(holdRate, 0.0), or(holdMs, DEFAULT_HOLD_MS),
                or(failNext, 0), or(failNextStatus, DEFAULT_FAIL_NEXT_STATUS), or(failAfterApplyRate, 0.0),
                or(retryAfterSeconds, DEFAULT_RETRY_AFTER_SECONDS), scope, seed);
    }

    /** True when no request would be delayed or failed. */
    public boolean injectsNothing() {
        return latencyMs == 0 && latencyJitterMs == 0 && failNext == 0
                && rate429 == 0 && rate500 == 0 && rate503 == 0 && dropRate == 0 && slowRate == 0 && holdRate == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().latencyMs(latencyMs).latencyJitterMs(latencyJitterMs).rate429(rate429)
                .rate500(rate500).rate503(rate503).dropRate(dropRate).slowRate(slowRate).slowMs(slowMs)
                .holdRate(holdRate).holdMs(holdMs)
                .failNext(failNext).failNextStatus(failNextStatus).failAfterApplyRate(failAfterApplyRate)
                .retryAfterSeconds(retryAfterSeconds).scope(scope).seed(seed);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative, is " + v);
        }
    }

    private static void rate(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, is " + v);
        }
    }

    /** Builds a {@link FaultConfig}; unset fields mean "no fault" and the documented defaults. */
    public static final class Builder {
        private long latencyMs;
        private long latencyJitterMs;
        private double rate429;
        private double rate500;
        private double rate503;
        private double dropRate;
        private double slowRate;
        private long slowMs = DEFAULT_SLOW_MS;
        private double holdRate;
        private long holdMs = DEFAULT_HOLD_MS;
        private int failNext;
        private int failNextStatus = DEFAULT_FAIL_NEXT_STATUS;
        private double failAfterApplyRate;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
        private Scope scope = Scope.ALL;
        private Long seed;

        private Builder() {}

        public Builder latencyMs(long v) { latencyMs = v; return this; }
        public Builder latencyJitterMs(long v) { latencyJitterMs = v; return this; }
        public Builder rate429(double v) { rate429 = v; return this; }
        public Builder rate500(double v) { rate500 = v; return this; }
        public Builder rate503(double v) { rate503 = v; return this; }
        public Builder dropRate(double v) { dropRate = v; return this; }
        public Builder slowRate(double v) { slowRate = v; return this; }
        public Builder slowMs(long v) { slowMs = v; return this; }
        public Builder holdRate(double v) { holdRate = v; return this; }
        public Builder holdMs(long v) { holdMs = v; return this; }
        public Builder failNext(int v) { failNext = v; return this; }
        public Builder failNextStatus(int v) { failNextStatus = v; return this; }
        public Builder failAfterApplyRate(double v) { failAfterApplyRate = v; return this; }
        public Builder retryAfterSeconds(int v) { retryAfterSeconds = v; return this; }
        public Builder scope(Scope v) { scope = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }

        /** @throws IllegalArgumentException naming the field when a value is out of range */
        public FaultConfig build() {
            return new FaultConfig(latencyMs, latencyJitterMs, rate429, rate500, rate503, dropRate, slowRate,
                    slowMs, holdRate, holdMs, failNext, failNextStatus, failAfterApplyRate, retryAfterSeconds, scope, seed);
        }
    }
}

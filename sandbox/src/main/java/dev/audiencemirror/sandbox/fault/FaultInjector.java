package dev.audiencemirror.sandbox.fault;

import dev.audiencemirror.sandbox.Endpoint;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Decides the fault for each request from (seed, ordinal) alone, so decisions replay exactly under a seed. */
public final class FaultInjector {

    private record Active(FaultConfig config, long seed, AtomicLong ordinal) {}

    private final long defaultSeed;
    private volatile Active active;

    public FaultInjector(FaultConfig initial, long defaultSeed) {
        this.defaultSeed = defaultSeed;
        configure(initial);
    }

    /** Replaces the faults and restarts the ordinal at 1. */
    public void configure(FaultConfig config) {
        active = new Active(config, config.seed() == null ? defaultSeed : config.seed(), new AtomicLong());
    }

    public FaultConfig config() {
        return active.config();
    }

    /** How many of {@code fail_next} are still to come. */
    public long failNextRemaining() {
        Active a = active;
        return Math.max(0, a.config().failNext() - a.ordinal().get());
    }

    public FaultDecision decide(Endpoint endpoint) {
        Active a = active;
        FaultConfig c = a.config();
        if (c.injectsNothing() || !c.scope().covers(endpoint)) {
            return FaultDecision.none(c.retryAfterSeconds());
        }
        long n = a.ordinal().incrementAndGet();
        // One generator per (seed, ordinal), always drawn in the same order: a decision does not
        // depend on which thread asked first, only on the request's ordinal.
        SplittableRandom rnd = new SplittableRandom(a.seed() * 0x9E3779B97F4A7C15L + n);
        long latency = c.latencyMs() + (c.latencyJitterMs() > 0 ? rnd.nextLong(c.latencyJitterMs() + 1) : 0);
        double pick = rnd.nextDouble();
        boolean afterApply = rnd.nextDouble() < c.failAfterApplyRate();

        if (n <= c.failNext()) {
            int s = c.failNextStatus();
            return s == 0
                    ? decision(n, latency, FaultDecision.Kind.DROP, 0, afterApply, c)
                    : decision(n, latency, FaultDecision.Kind.STATUS, s, s >= 500 && afterApply, c);
        }
        double edge = c.rate429();
        if (pick < edge) {
            return decision(n, latency, FaultDecision.Kind.STATUS, 429, false, c);
        }
        if (pick < (edge += c.rate500())) {
            return decision(n, latency, FaultDecision.Kind.STATUS, 500, afterApply, c);
        }
        if (pick < (edge += c.rate503())) {
            return decision(n, latency, FaultDecision.Kind.STATUS, 503, afterApply, c);
        }
        if (pick < (edge += c.dropRate())) {
            return decision(n, latency, FaultDecision.Kind.DROP, 0, afterApply, c);
        }
        if (pick < (edge += c.slowRate())) {
            return decision(n, latency, FaultDecision.Kind.SLOW, 0, false, c);
        }
        if (pick < edge + c.holdRate()) {
            return decision(n, latency, FaultDecision.Kind.HOLD, 0, false, c);
        }
        return decision(n, latency, FaultDecision.Kind.NONE, 0, false, c);
    }

    private static FaultDecision decision(long n, long latency, FaultDecision.Kind kind, int status,
                                          boolean afterApply, FaultConfig c) {
        return new FaultDecision(n, latency, kind, status, afterApply, c.slowMs(), c.holdMs(),
                c.retryAfterSeconds());
    }
}

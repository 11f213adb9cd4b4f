package dev.audiencemirror.sandbox.inspect;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight per API key, and the highest count ever seen. Callers count a request from
 * its arrival (before any injected latency) until just before its answer is written: a client
 * cannot see the answer before that point, so the sandbox's window always lies inside the client's
 * and a client that keeps at most N requests open is never seen above N.
 */
public final class ConcurrencyTracker {

    private static final class Counter {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
    }

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    /** Counts one more request for {@code key} and returns how many are now in flight. */
    public int arrive(String key) {
        Counter c = counters.computeIfAbsent(key, k -> new Counter());
        int now = c.inFlight.incrementAndGet();
        c.max.accumulateAndGet(now, Math::max);
        return now;
    }

    public void depart(String key) {
        counters.get(key).inFlight.decrementAndGet();
    }

    public Map<String, Integer> maxSeen() {
        Map<String, Integer> out = new TreeMap<>();
        counters.forEach((k, c) -> out.put(k, c.max.get()));
        return out;
    }

    public Map<String, Integer> inFlight() {
        Map<String, Integer> out = new TreeMap<>();
        counters.forEach((k, c) -> out.put(k, c.inFlight.get()));
        return out;
    }

    /** Forgets the maxima; requests still in flight stay counted so the counts never go negative. */
    public void resetMax() {
        counters.values().forEach(c -> c.max.set(c.inFlight.get()));
    }
}

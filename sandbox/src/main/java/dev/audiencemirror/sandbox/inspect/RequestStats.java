package dev.audiencemirror.sandbox.inspect;

import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request and effect counters; LongAdders so that counting never becomes the point of contention. */
public final class RequestStats {

    private final Map<Endpoint, ConcurrentHashMap<Integer, LongAdder>> requests = new EnumMap<>(Endpoint.class);
    private final ConcurrentHashMap<String, LongAdder> applied = new ConcurrentHashMap<>();
    private final LongAdder sameCodeBatches = new LongAdder();
    private final LongAdder failedRows = new LongAdder();

    public RequestStats() {
        for (Endpoint e : Endpoint.values()) {
            requests.put(e, new ConcurrentHashMap<>());
        }
    }

    public void request(Endpoint endpoint, int status) {
        requests.get(endpoint).computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    public void applied(String effect) {
        applied(effect, 1);
    }

    public void applied(String effect, long n) {
        if (n > 0) {
            applied.computeIfAbsent(effect, k -> new LongAdder()).add(n);
        }
    }

    public void sameCodeInBatch() {
        sameCodeBatches.increment();
    }

    public void failedRows(long n) {
        failedRows.add(n);
    }

    public SandboxStats snapshot(ConcurrencyTracker concurrency) {
        Map<String, Map<Integer, Long>> req = new TreeMap<>();
        requests.forEach((endpoint, byStatus) -> {
            if (!byStatus.isEmpty()) {
                Map<Integer, Long> m = new TreeMap<>();
                byStatus.forEach((s, n) -> m.put(s, n.sum()));
                req.put(endpoint.label(), m);
            }
        });
        Map<String, Long> eff = new TreeMap<>();
        applied.forEach((k, n) -> eff.put(k, n.sum()));
        long total = eff.values().stream().mapToLong(Long::longValue).sum();
        return new SandboxStats(req, concurrency.maxSeen(), concurrency.inFlight(), sameCodeBatches.sum(),
                eff, total, failedRows.sum());
    }

    public void clear() {
        requests.values().forEach(Map::clear);
        applied.clear();
        sameCodeBatches.reset();
        failedRows.reset();
    }
}

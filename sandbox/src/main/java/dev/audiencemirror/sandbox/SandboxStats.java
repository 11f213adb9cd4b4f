package dev.audiencemirror.sandbox;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters since the last reset, as {@code GET /_sandbox/stats} returns them.
 *
 * @param requests             endpoint label → answered status → count (status 0 = dropped connection)
 * @param maxConcurrencySeen   API key → highest number of its requests in flight at once
 * @param inFlight             API key → requests in flight now
 * @param sameCodeInBatchCount PATCH batches that held two or more operations on one segment code
 * @param applied              effect → count, see the constants on this class
 * @param appliedTotal         sum of {@code applied}: operations that took effect (idempotent no-ops included)
 * @param segmentRowsFailed    taxonomy rows answered per row with 404/409 and not applied
 */
public record SandboxStats(Map<String, Map<Integer, Long>> requests,
                           Map<String, Integer> maxConcurrencySeen,
                           Map<String, Integer> inFlight,
                           long sameCodeInBatchCount,
                           Map<String, Long> applied,
                           long appliedTotal,
                           long segmentRowsFailed) {

    /** A contact joined a list it was not on. */
    public static final String ADESTRA_ADDED = "adestra_added";
    /** A contact left a list it was on. */
    public static final String ADESTRA_REMOVED = "adestra_removed";
    /** An add of a present contact or a remove of an absent one: answered 2xx, state unchanged. */
    public static final String ADESTRA_UNCHANGED = "adestra_unchanged";
    public static final String SEGMENT_CREATED = "segment_created";
    public static final String SEGMENT_UPDATED = "segment_updated";
    public static final String SEGMENT_DELETED = "segment_deleted";

    public SandboxStats {
        Map<String, Map<Integer, Long>> req = new TreeMap<>();
        requests.forEach((k, v) -> req.put(k, sorted(v)));
        requests = Collections.unmodifiableMap(req);
        maxConcurrencySeen = sorted(maxConcurrencySeen);
        inFlight = sorted(inFlight);
        applied = sorted(applied);
    }

    private static <K, V> Map<K, V> sorted(Map<K, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }

    public long requests(Endpoint endpoint, int status) {
        return requests.getOrDefault(endpoint.label(), Map.of()).getOrDefault(status, 0L);
    }

    public long requests(Endpoint endpoint) {
        return requests.getOrDefault(endpoint.label(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests answered with {@code status} on any endpoint. */
    public long requestsWithStatus(int status) {
        return requests.values().stream().mapToLong(m -> m.getOrDefault(status, 0L)).sum();
    }

    public int maxConcurrencySeen(String apiKey) {
        return maxConcurrencySeen.getOrDefault(apiKey, 0);
    }

    public long applied(String effect) {
        return applied.getOrDefault(effect, 0L);
    }
}

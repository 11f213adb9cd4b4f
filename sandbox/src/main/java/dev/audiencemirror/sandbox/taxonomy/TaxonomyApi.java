package dev.audiencemirror.sandbox.taxonomy;

import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import dev.audiencemirror.sandbox.inspect.RequestStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Taxonomy API's import and segment endpoints, keyed by {@code X-Api-Key} (or query {@code k}).
 * Operations inside one batch are applied in a seeded shuffled order, as the real API does not
 * promise any order. It answers as Permutive's published contract says ({@link PublishedAnswers}), or,
 * with {@code rowErrors}, with per-row errors inside a 2xx ({@link RowErrorAnswers}).
 */
public final class TaxonomyApi {

    /** The page size of the row-errors mode's {@code GET …/segments} without {@code limit}. */
    public static final int DEFAULT_PAGE_SIZE = RowErrorAnswers.DEFAULT_PAGE_SIZE;
    public static final int MAX_PAGE_SIZE = RowErrorAnswers.MAX_PAGE_SIZE;
    /** The published contract's page size unless the builder sets another. */
    public static final int DEFAULT_PUBLISHED_PAGE_SIZE = PublishedAnswers.DEFAULT_PAGE_SIZE;
    /** Longer batches are logged without their apply order, to bound the log's memory. */
    static final int LOGGED_APPLY_ORDER_MAX = 100;

    private volatile List<String> keys;
    private final String readOnlyKey;
    private final BatchOrder order;
    private final TaxonomyAnswers answers;

    /** The published contract, pages of {@link #DEFAULT_PUBLISHED_PAGE_SIZE}. */
    public TaxonomyApi(String key, String readOnlyKey, TaxonomyImports imports, RequestStats stats, long seed) {
        this(key, readOnlyKey, imports, stats, seed, false, DEFAULT_PUBLISHED_PAGE_SIZE);
    }

    /**
     * @param rowErrors answer per-row errors inside a 2xx, as before the sandbox played the published contract
     * @param pageSize  the published contract's page size
     */
    public TaxonomyApi(String key, String readOnlyKey, TaxonomyImports imports, RequestStats stats, long seed,
                       boolean rowErrors, int pageSize) {
        this.keys = List.of(key);
        this.readOnlyKey = readOnlyKey;
        this.order = new BatchOrder(seed);
        this.answers = rowErrors ? new RowErrorAnswers(imports, stats, order)
                : new PublishedAnswers(imports, stats, order, pageSize);
    }

    /**
     * From now on only these write keys are valid (and the read-only key, which stays): another
     * answers 401. The first is {@link #primaryKey()}.
     */
    public void acceptKeys(List<String> valid) {
        if (valid.isEmpty()) {
            throw new IllegalArgumentException("at least one Permutive key must be valid");
        }
        if (valid.contains(readOnlyKey)) {
            throw new IllegalArgumentException("a write key must differ from the read-only key");
        }
        keys = List.copyOf(valid);
    }

    /** The first valid write key. */
    public String primaryKey() {
        return keys.get(0);
    }

    /** The request's key if it is a write or the read-only key, else null. */
    public String validKey(Request request) {
        String k = request.header("X-Api-Key");
        if (k == null) {
            k = request.query("k");
        }
        return k != null && (keys.contains(k) || readOnlyKey.equals(k)) ? k : null;
    }

    /** Restarts the batch counter that seeds the shuffles. */
    public void reset() {
        order.reset();
    }

    public Response handle(Endpoint endpoint, Request request, String validKey, EffectRecorder recorder) {
        return answers.handle(endpoint, request, validKey, readOnlyKey.equals(validKey), recorder);
    }

    /** The answer of an injected fault with {@code status}, in the shape this mode's errors have. */
    public Response faultAnswer(Endpoint endpoint, int status) {
        return answers.fault(endpoint, status);
    }

    /** Counts a batch naming one code twice: a client bug, as the shuffled order makes its outcome undefined. */
    static void countSameCode(List<SegmentOperation> ops, RequestStats stats) {
        Set<String> codes = new HashSet<>();
        for (SegmentOperation op : ops) {
            if (!codes.add(op.code())) {
                stats.sameCodeInBatch();
                return;
            }
        }
    }

    /** The apply order as logged: null for long batches. */
    static List<Integer> loggable(List<Integer> applyOrder) {
        return applyOrder.size() <= LOGGED_APPLY_ORDER_MAX ? List.copyOf(applyOrder) : null;
    }

    /** What each operation of an applied batch did, in request order, for the log ({@code LogEntry#rows}). */
    static List<String> rows(List<SegmentOperation> ops, BatchOutcome applied) {
        List<String> rows = new ArrayList<>(ops.size());
        Iterator<Segment> items = applied.items().iterator();
        for (SegmentOperation op : ops) {
            rows.add(switch (op.kind()) {
                case CREATE -> "Create " + op.code() + " " + items.next().name();
                case UPDATE -> "Update " + op.code() + " " + items.next().name();
                case DELETE -> "Delete " + op.code();
            });
        }
        return rows;
    }
}

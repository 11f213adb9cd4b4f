package dev.audiencemirror.sandbox.taxonomy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Json;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import dev.audiencemirror.sandbox.inspect.RequestStats;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Taxonomy API's import and segment endpoints, keyed by {@code X-Api-Key} (or query {@code k}).
 * Operations inside one batch are applied in a seeded shuffled order, as the real API does not
 * promise any order.
 */
public final class TaxonomyApi {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Longer batches are logged without their apply order, to bound the log's memory. */
    static final int LOGGED_APPLY_ORDER_MAX = 100;

    private volatile List<String> keys;
    private final String readOnlyKey;
    private final TaxonomyImports imports;
    private final RequestStats stats;
    private final long seed;
    private final AtomicLong batches = new AtomicLong();

    public TaxonomyApi(String key, String readOnlyKey, TaxonomyImports imports, RequestStats stats, long seed) {
        this.keys = List.of(key);
        this.readOnlyKey = readOnlyKey;
        this.imports = imports;
        this.stats = stats;
        this.seed = seed;
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
        batches.set(0);
    }

    public Response handle(Endpoint endpoint, Request request, String validKey, EffectRecorder recorder) {
        if (validKey == null) {
            return Response.error(401, "unauthorized",
                    "The API key is invalid or missing: send header X-Api-Key (or query parameter k) with a valid key.");
        }
        String importId = request.segment(1);
        if (endpoint == Endpoint.TAXONOMY_PATCH_SEGMENTS && readOnlyKey.equals(validKey)) {
            return Response.error(403, "forbidden", "This API key is read-only: it may read but not write.");
        }
        TaxonomyImport imp = imports.get(importId);
        if (imp == null) {
            return Response.error(404, "not_found", "import not found: " + importId);
        }
        switch (endpoint) {
            case TAXONOMY_GET_IMPORT:
                return Response.json(200, Map.of("id", imp.id(), "name", imp.name(), "segment_count", imp.size()));
            case TAXONOMY_LIST_SEGMENTS:
                return list(request, imp);
            default:
                return patch(request, imp, recorder);
        }
    }

    private Response list(Request request, TaxonomyImport imp) {
        int limit = DEFAULT_PAGE_SIZE;
        String limitParam = request.query("limit");
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE_SIZE) {
                return Response.error(400, "bad_request", "limit must be 1-" + MAX_PAGE_SIZE + ", got '" + limitParam + "'");
            }
        }
        String after = null;
        String token = request.query("pagination_token");
        if (token != null && !token.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Response.error(400, "bad_request", "pagination_token is invalid");
            }
        }
        TaxonomyImport.Page page = imp.page(after, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("items", Json.MAPPER.valueToTree(page.items()));
        // An explicit null on the last page, rather than a missing field, so clients need no guessing.
        ObjectNode pagination = body.putObject("pagination");
        if (page.more()) {
            pagination.put("next_token", token(page.items().get(page.items().size() - 1).code()));
        } else {
            pagination.putNull("next_token");
        }
        return Response.json(200, body);
    }

    private Response patch(Request request, TaxonomyImport imp, EffectRecorder recorder) {
        List<SegmentOperation> ops;
        try {
            ops = BatchParser.parse(request.body());
        } catch (MalformedBatchException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "bad_request");
            body.put("message", e.getMessage());
            body.put("index", e.index());
            body.put("field", e.field());
            return Response.json(400, body);
        }
        Set<String> codes = new HashSet<>();
        for (SegmentOperation op : ops) {
            if (!codes.add(op.code())) {
                // A client bug: the shuffled order makes the outcome of such a batch undefined.
                stats.sameCodeInBatch();
                break;
            }
        }
        List<Integer> order = shuffledOrder(ops.size(), batches.incrementAndGet());
        List<Integer> logged = ops.size() <= LOGGED_APPLY_ORDER_MAX ? List.copyOf(order) : null;
        BatchOutcome outcome = imp.apply(ops, order, o -> recorder.record(200, logged));
        stats.applied(SandboxStats.SEGMENT_CREATED, outcome.created());
        stats.applied(SandboxStats.SEGMENT_UPDATED, outcome.updated());
        stats.applied(SandboxStats.SEGMENT_DELETED, outcome.deleted());
        stats.failedRows(outcome.errors().size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", outcome.items());
        body.put("errors", outcome.errors());
        return Response.json(200, body);
    }

    /**
     * 0..n-1 shuffled by (seed, batch number). SplittableRandom, not java.util.Random: the first draws
     * of Randoms with consecutive seeds are correlated, which left two-operation batches unshuffled.
     */
    private List<Integer> shuffledOrder(int n, long batch) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.asList(order);
    }

    static String token(String lastCode) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastCode.getBytes(StandardCharsets.UTF_8));
    }
}

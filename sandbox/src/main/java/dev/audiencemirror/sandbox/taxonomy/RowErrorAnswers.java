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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code taxonomyRowErrors} mode: the sandbox's answers from before it played the published contract,
 * kept exactly. A batch is applied row by row and answers 200 {@code {"items":[…],"errors":[…]}}, each failed
 * row (409 / 404) with its {@code index}; a malformed row is a JSON 400 naming row and field; segment pages
 * are {@code {"items":[…],"pagination":{"next_token":…}}} with a {@code limit}. Zeotap's guide speaks of
 * partially failed batches with per-row details, so a connector must cope with this reading too.
 */
final class RowErrorAnswers implements TaxonomyAnswers {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    private final TaxonomyImports imports;
    private final RequestStats stats;
    private final BatchOrder order;

    RowErrorAnswers(TaxonomyImports imports, RequestStats stats, BatchOrder order) {
        this.imports = imports;
        this.stats = stats;
        this.order = order;
    }

    @Override
    public Response handle(Endpoint endpoint, Request request, String validKey, boolean readOnly,
                           EffectRecorder recorder) {
        if (validKey == null) {
            return Response.error(401, "unauthorized",
                    "The API key is invalid or missing: send header X-Api-Key (or query parameter k) with a valid key.");
        }
        String importId = request.segment(1);
        if (endpoint == Endpoint.TAXONOMY_PATCH_SEGMENTS && readOnly) {
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

    @Override
    public Response fault(Endpoint endpoint, int status) {
        return Response.error(status, status == 429 ? "too_many_requests" : "injected_fault",
                "fault injected by the sandbox: " + status);
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
        TaxonomyApi.countSameCode(ops, stats);
        List<Integer> applyOrder = order.next(ops.size());
        List<Integer> logged = TaxonomyApi.loggable(applyOrder);
        BatchOutcome outcome = imp.apply(ops, applyOrder, o -> recorder.record(200, logged));
        stats.applied(SandboxStats.SEGMENT_CREATED, outcome.created());
        stats.applied(SandboxStats.SEGMENT_UPDATED, outcome.updated());
        stats.applied(SandboxStats.SEGMENT_DELETED, outcome.deleted());
        stats.failedRows(outcome.errors().size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", outcome.items());
        body.put("errors", outcome.errors());
        return Response.json(200, body);
    }

    static String token(String lastCode) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastCode.getBytes(StandardCharsets.UTF_8));
    }
}

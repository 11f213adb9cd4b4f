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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The default: the Taxonomy API as Permutive's published OpenAPI document (v1) describes it. Facts it plays:
 * <ul>
 *   <li>{@code PATCH /imports/{importId}/segments}, body {@code {"operations":[…]}} with 1 to 5,000 operations:
 *       200 {@code {"items":[Segment,…]}} and nothing else. Any failure is one answer for the whole request
 *       and nothing of the batch is applied: a Create of a code that exists is 409 (AlreadyExists), an Update
 *       or Delete of a code that does not exist 404 (DoesNotExist), naming the first such operation in the
 *       message, with no row index ({@link TaxonomyError} has the envelope).</li>
 *   <li>A body that does not decode (not JSON, not {@code {"operations":[…]}}, a malformed operation, no
 *       operations, more than 5,000) is 400 {@code text/plain} "Invalid value for: body"; an import id that is
 *       not a UUID is 400 {@code text/plain} "Invalid value for: path parameter importId", on every import
 *       endpoint; so is a pagination token that does not decode ("… query parameter pagination_token").
 *       These come before the key is checked, as a decoding failure of the request does.</li>
 *   <li>{@code GET /imports/{importId}/segments[?pagination_token=T]}: {@code {"elements":[Segment,…],
 *       "pagination":{"next_token":"…","total_count":N}}}; {@code next_token} is left out on the last page (the
 *       schema makes it optional). The document names no page-size parameter: the size is the server's.</li>
 *   <li>{@code GET /imports/{importId}}: the import ({@code id}, {@code name}, {@code code}, {@code relation},
 *       {@code identifiers}, {@code source}: the schema's required fields).</li>
 * </ul>
 */
final class PublishedAnswers implements TaxonomyAnswers {

    /** The default page of {@code GET …/segments}: Permutive does not publish its size; 50 is the sandbox's. */
    static final int DEFAULT_PAGE_SIZE = 50;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final TaxonomyImports imports;
    private final RequestStats stats;
    private final BatchOrder order;
    private final int pageSize;

    PublishedAnswers(TaxonomyImports imports, RequestStats stats, BatchOrder order, int pageSize) {
        this.imports = imports;
        this.stats = stats;
        this.order = order;
        this.pageSize = pageSize;
    }

    @Override
    public Response handle(Endpoint endpoint, Request request, String validKey, boolean readOnly,
                           EffectRecorder recorder) {
        String importId = request.segment(1);
        if (!UUID_TEXT.matcher(importId).matches()) {
            return invalidValue("path parameter importId");
        }
        String after = null;
        if (endpoint == Endpoint.TAXONOMY_LIST_SEGMENTS) {
            String token = request.query("pagination_token");
            if (token != null && !token.isEmpty()) {
                after = codeAfter(token);
                if (after == null) {
                    return invalidValue("query parameter pagination_token");
                }
            }
        }
        if (validKey == null) {
            return keySent(request)
                    ? TaxonomyError.INVALID_API_KEY.answer("The API key provided is not valid.", "This key does not exist.")
                    : TaxonomyError.AUTHORIZATION_MISSING.answer(
                            "This request needs an API key (header X-API-Key or query parameter k); none was sent.", null);
        }
        if (endpoint == Endpoint.TAXONOMY_PATCH_SEGMENTS && readOnly) {
            return TaxonomyError.INSUFFICIENT_API_KEY.answer(
                    "The API key does not give access to this operation: it may read segments, not write them.", null);
        }
        List<SegmentOperation> ops = null;
        if (endpoint == Endpoint.TAXONOMY_PATCH_SEGMENTS) {
            try {
                ops = BatchParser.parse(request.body());
            } catch (MalformedBatchException e) {
                return invalidValue("body");
            }
            if (ops.isEmpty()) {
                return invalidValue("body");
            }
        }
        TaxonomyImport imp = find(importId);
        if (imp == null) {
            return TaxonomyError.DOES_NOT_EXIST.answer("Import " + importId + " does not exist.", null);
        }
        switch (endpoint) {
            case TAXONOMY_GET_IMPORT:
                return Response.json(200, importObject(imp));
            case TAXONOMY_LIST_SEGMENTS:
                return page(imp, after);
            default:
                return patch(imp, ops, recorder);
        }
    }

    @Override
    public Response fault(Endpoint endpoint, int status) {
        if (status == 400) {
            return invalidValue(endpoint == Endpoint.TAXONOMY_PATCH_SEGMENTS ? "body" : "path parameter importId");
        }
        return TaxonomyError.forStatus(status, "Fault injected by the sandbox: HTTP " + status + ".");
    }

    private Response patch(TaxonomyImport imp, List<SegmentOperation> ops, EffectRecorder recorder) {
        TaxonomyApi.countSameCode(ops, stats);
        List<Integer> applyOrder = order.next(ops.size());
        List<Integer> logged = TaxonomyApi.loggable(applyOrder);
        Instant now = Instant.now();
        BatchOutcome outcome = imp.applyAll(ops, applyOrder, now,
                o -> recorder.record(200, logged, logged == null ? null : TaxonomyApi.rows(ops, o)));
        if (!outcome.errors().isEmpty()) {
            return refusal(imp, ops.get(outcome.errors().get(0).index()), outcome.errors().get(0));
        }
        stats.applied(SandboxStats.SEGMENT_CREATED, outcome.created());
        stats.applied(SandboxStats.SEGMENT_UPDATED, outcome.updated());
        stats.applied(SandboxStats.SEGMENT_DELETED, outcome.deleted());
        List<PublishedSegment> items = new ArrayList<>(outcome.items().size());
        outcome.items().forEach(s -> items.add(PublishedSegment.of(imp.id(), s, now)));
        return Response.json(200, Map.of("items", items));
    }

    /** The whole batch refused for its first failing operation, named in the message. */
    private static Response refusal(TaxonomyImport imp, SegmentOperation op, RowError why) {
        String kind = op.kind() == SegmentOperation.Kind.CREATE ? "Create"
                : op.kind() == SegmentOperation.Kind.UPDATE ? "Update" : "Delete";
        boolean exists = why.status() == 409;
        String message = "Segment code '" + op.code() + "' " + (exists ? "already exists" : "does not exist")
                + " in import " + imp.id() + ": the " + kind + " operation for it cannot be applied,"
                + " so nothing in this batch was applied.";
        return (exists ? TaxonomyError.ALREADY_EXISTS : TaxonomyError.DOES_NOT_EXIST).answer(message, null);
    }

    private Response page(TaxonomyImport imp, String after) {
        TaxonomyImport.Page page = imp.page(after, pageSize);
        List<PublishedSegment> elements = new ArrayList<>(page.items().size());
        for (int i = 0; i < page.items().size(); i++) {
            elements.add(PublishedSegment.of(imp.id(), page.items().get(i), page.updatedAt().get(i)));
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("elements", Json.MAPPER.valueToTree(elements));
        ObjectNode pagination = body.putObject("pagination");
        if (page.more()) {
            pagination.put("next_token", tokenAfter(page.items().get(page.items().size() - 1).code()));
        }
        pagination.put("total_count", page.total());
        return Response.json(200, body);
    }

    /**
     * The import with the schema's required fields. {@code relation}, {@code identifiers} and {@code source}
     * describe where a real import's data comes from; the sandbox's values are placeholders of the right shape.
     */
    private static ObjectNode importObject(TaxonomyImport imp) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", imp.id());
        body.put("name", imp.name());
        body.put("code", imp.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
        body.put("relation", "2nd");
        body.putArray("identifiers").add("sandbox");
        ObjectNode source = body.putObject("source");
        source.put("id", PublishedSegment.idOf(imp.id(), "source"));
        source.putObject("state").put("type", "active");
        source.put("type", "bespoke");
        return body;
    }

    /** A UUID names one import whatever the case of its hex digits. */
    private TaxonomyImport find(String importId) {
        TaxonomyImport imp = imports.get(importId);
        return imp != null ? imp : imports.get(importId.toLowerCase(Locale.ROOT));
    }

    /** Opaque to the client; here, standard Base64 of the page's last code, padded like Permutive's example. */
    static String tokenAfter(String lastCode) {
        return Base64.getEncoder().encodeToString(lastCode.getBytes(StandardCharsets.UTF_8));
    }

    /** The code a token continues after, or null if it is not one of ours. */
    private static String codeAfter(String token) {
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean keySent(Request request) {
        return request.header("X-Api-Key") != null || request.query("k") != null;
    }

    /** What the API's request decoding answers: plain text, no JSON, no row index. */
    static Response invalidValue(String what) {
        return Response.text(400, "Invalid value for: " + what);
    }
}

package dev.audiencemirror.sandbox.taxonomy;

import static dev.audiencemirror.sandbox.ApiCalls.create;
import static dev.audiencemirror.sandbox.ApiCalls.delete;
import static dev.audiencemirror.sandbox.ApiCalls.ops;
import static dev.audiencemirror.sandbox.ApiCalls.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxServer;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.http.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real HTTP requests to the sandbox in its default mode, every answer held to the shapes Permutive
 * publishes for the Taxonomy API. The shapes are stated here as facts, from Permutive's Taxonomy API
 * OpenAPI document (v1) and its error page (docs.permutive.com/api/errors), not read from a copy:
 * <ul>
 *   <li>PATCH {@code /imports/{importId}/segments}, body {@code {"operations":[…]}}, 1 to 5,000 operations:
 *       200, {@code application/json}, {@code {"items":[Segment,…]}} and no other field.</li>
 *   <li>Segment: {@code id} (UUID), {@code code}, {@code name}, {@code import_id} (UUID), {@code updated_at}
 *       (date-time) always; {@code description}, {@code cpm}, {@code categories} when set; nothing else.</li>
 *   <li>Every other non-2xx is one JSON answer for the whole request: {@code request_id} (UUID) and
 *       {@code error} with {@code status} (the HTTP reason phrase), {@code code} (a numeric subcode),
 *       {@code message}, {@code docs}, and optionally {@code cause}; no row index. Subcodes: 2000 invalid
 *       API key, 2004 no key, 2001 key without access, 3000 does not exist, 4000 already exists, 5000
 *       unspecified internal error.</li>
 *   <li>A Create of a code that exists: 409; an Update or Delete of a code that does not exist: 404;
 *       either refuses the whole batch, nothing of it applied.</li>
 *   <li>A body or path parameter that does not decode: 400, {@code text/plain}, "Invalid value for: body" /
 *       "Invalid value for: path parameter importId" / "Invalid value for: query parameter pagination_token".
 *       An empty {@code operations} list and more than 5,000 operations are such bodies.</li>
 *   <li>GET {@code /imports/{importId}/segments[?pagination_token=T]}: {@code {"elements":[Segment,…],
 *       "pagination":{"next_token":"…","total_count":N}}}, {@code next_token} absent or null on the last page.</li>
 *   <li>GET {@code /imports/{importId}}: the import, with at least {@code id}, {@code name}, {@code code},
 *       {@code relation}, {@code identifiers} (non-empty), {@code source}.</li>
 * </ul>
 */
class PublishedContractTest {

    static final String IMPORT = "32f8e031-c532-41bb-b25e-65bdb677a96f";
    static final String OTHER_UUID = "0b4d6f1e-2c3a-4b5d-9e8f-7a6b5c4d3e2f";

    static final Set<String> SEGMENT_FIELDS =
            Set.of("id", "code", "name", "import_id", "description", "cpm", "categories", "updated_at");
    static final Set<String> SEGMENT_REQUIRED = Set.of("id", "code", "name", "import_id", "updated_at");
    static final Set<String> ERROR_FIELDS = Set.of("status", "code", "message", "cause", "docs");
    static final Set<String> ERROR_REQUIRED = Set.of("status", "code", "message", "docs");
    static final String ERRORS_DOCS = "https://docs.permutive.com/api/errors";
    static final String BAD_BODY = "Invalid value for: body";
    static final String BAD_IMPORT_ID = "Invalid value for: path parameter importId";
    static final String BAD_TOKEN = "Invalid value for: query parameter pagination_token";

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().imports(IMPORT).build();

    private static ApiCalls api() {
        return new ApiCalls(sandbox);
    }

    // ---- PATCH: success

    @Test
    void aBatchIsAnswered200WithItemsAndNothingElse() throws Exception {
        HttpResponse<String> r = api().patch(IMPORT, ops(
                "{\"operation\":\"Create\",\"data\":{\"code\":\"s1\",\"name\":\"One\",\"description\":\"d\","
                        + "\"cpm\":2.5,\"categories\":[\"news\"]}}",
                create("s2", "Two")));
        JsonNode body = json(r, 200);
        assertThat(fields(body)).containsExactly("items");
        assertThat(body.get("items")).hasSize(2);
        body.get("items").forEach(PublishedContractTest::assertSegment);
        JsonNode s1 = body.get("items").get(0);
        assertThat(s1.get("code").asText()).isEqualTo("s1");
        assertThat(s1.get("description").asText()).isEqualTo("d");
        assertThat(s1.get("cpm").asDouble()).isEqualTo(2.5);
        assertThat(s1.get("categories").get(0).asText()).isEqualTo("news");
        assertThat(fields(body.get("items").get(1))).isEqualTo(SEGMENT_REQUIRED);

        JsonNode again = json(api().patch(IMPORT, ops(update("s1", "Uno"), delete("s2"))), 200);
        assertThat(fields(again)).containsExactly("items");
        assertThat(again.get("items")).hasSize(1);
        assertSegment(again.get("items").get(0));
        assertThat(again.get("items").get(0).get("name").asText()).isEqualTo("Uno");
        assertThat(again.get("items").get(0).get("id").asText()).as("an id is stable").isEqualTo(s1.get("id").asText());
        assertThat(sandbox.client().importSegments(IMPORT)).containsOnlyKeys("s1");
    }

    @Test
    void exactly5000OperationsAreAccepted() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            items.add(create("c" + i, "n"));
        }
        assertThat(json(api().patch(IMPORT, ops(items.toArray(String[]::new))), 200).get("items")).hasSize(5000);
        assertThat(sandbox.client().importSegments(IMPORT)).hasSize(5000);
    }

    // ---- PATCH: whole-request refusals, nothing applied

    @Test
    void aCreateOfAnExistingCodeIs409ForTheWholeBatchAndNothingIsApplied() throws Exception {
        seed("a", "b");
        SortedMap<String, Segment> before = sandbox.client().importSegments(IMPORT);
        long appliedBefore = sandbox.client().stats().appliedTotal();

        HttpResponse<String> r = api().patch(IMPORT, ops(create("new1", "New"), update("a", "A2"), delete("b"),
                create("a", "Again")));
        JsonNode error = envelope(r, 409, "Conflict", 4000);
        assertThat(error.get("message").asText()).contains("'a'", "Create");

        assertThat(sandbox.client().importSegments(IMPORT)).as("nothing applied").isEqualTo(before);
        assertThat(sandbox.client().stats().appliedTotal()).isEqualTo(appliedBefore);
    }

    @Test
    void anUpdateOrDeleteOfAMissingCodeIs404ForTheWholeBatchAndNothingIsApplied() throws Exception {
        seed("a");
        SortedMap<String, Segment> before = sandbox.client().importSegments(IMPORT);

        JsonNode error = envelope(api().patch(IMPORT, ops(create("x", "X"), update("ghost", "G"), delete("a"))),
                404, "Not Found", 3000);
        assertThat(error.get("message").asText()).contains("'ghost'", "Update");
        assertThat(sandbox.client().importSegments(IMPORT)).isEqualTo(before);

        error = envelope(api().patch(IMPORT, ops(update("a", "A2"), delete("ghost2"))), 404, "Not Found", 3000);
        assertThat(error.get("message").asText()).contains("'ghost2'", "Delete");
        assertThat(sandbox.client().importSegments(IMPORT)).isEqualTo(before);
    }

    @Test
    void theRefusalNamesTheFirstOffendingOperationOfTheRequest() throws Exception {
        seed("a");
        JsonNode error = envelope(api().patch(IMPORT, ops(create("ok", "Ok"), update("g1", "G"), create("a", "A"),
                delete("g2"))), 404, "Not Found", 3000);
        assertThat(error.get("message").asText()).contains("'g1'").doesNotContain("'g2'", "'a'");
        assertThat(sandbox.client().importSegments(IMPORT)).containsOnlyKeys("a");
    }

    // ---- 400: plain text

    @Test
    void bodiesThatDoNotDecodeAre400PlainText() {
        seed("a");
        List<String> five001 = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            five001.add(create("c" + i, "n"));
        }
        for (String body : List.of("{not json", "", "[]", "{}", "{\"operations\":{}}", ops(),
                ops(five001.toArray(String[]::new)),
                ops(create("ok", "Ok"), "{\"operation\":\"Create\",\"data\":{\"code\":\"bad\"}}"),
                ops("{\"operation\":\"Rename\",\"code\":\"a\"}"))) {
            assertPlain400(api().patch(IMPORT, body), BAD_BODY);
        }
        assertThat(sandbox.client().importSegments(IMPORT)).containsOnlyKeys("a");
    }

    @Test
    void anImportIdThatIsNotAUuidIs400PlainTextOnEveryImportEndpoint() {
        for (String key : new String[] {sandbox.permutiveKey(), "wrong-key", null}) {
            assertPlain400(api().get("/imports/not-a-uuid", key), BAD_IMPORT_ID);
            assertPlain400(api().get("/imports/not-a-uuid/segments", key), BAD_IMPORT_ID);
            assertPlain400(api().patch("not-a-uuid", ops(create("a", "A")), key), BAD_IMPORT_ID);
        }
        assertPlain400(api().get("/imports/" + IMPORT + "x", sandbox.permutiveKey()), BAD_IMPORT_ID);
        assertThat(sandbox.client().importSegments(IMPORT)).isEmpty();
    }

    // ---- GET

    @Test
    void segmentsArePagedThroughNextTokenWithATotalCount() throws Exception {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            codes.add(String.format("seg-%03d", i));
        }
        seed(codes.toArray(String[]::new));

        List<JsonNode> pages = allPages(sandbox.server(), sandbox.permutiveReadOnlyKey());
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.get("elements").size()).containsExactly(50, 50, 20);
        List<String> seen = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        pages.forEach(p -> p.get("elements").forEach(s -> {
            assertSegment(s);
            seen.add(s.get("code").asText());
            ids.add(s.get("id").asText());
        }));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(codes);
        assertThat(ids).as("one id per segment").hasSize(120);

        assertPlain400(api().get("/imports/" + IMPORT + "/segments?pagination_token=%25%25", sandbox.permutiveKey()),
                BAD_TOKEN);
    }

    @Test
    void thePageSizeIsSettableAndAnEmptyImportIsOneEmptyPage() throws Exception {
        try (SandboxServer s = SandboxServer.builder().imports(IMPORT).taxonomyPageSize(3).build().start()) {
            JsonNode empty = allPages(s, s.permutiveKey()).get(0);
            assertThat(empty.get("elements")).isEmpty();
            assertThat(empty.get("pagination").get("total_count").asInt()).isZero();

            s.client().putImport(IMPORT, List.of(Segment.of("a", "A"), Segment.of("b", "B"), Segment.of("c", "C"),
                    Segment.of("d", "D"), Segment.of("e", "E"), Segment.of("f", "F"), Segment.of("g", "G")));
            assertThat(allPages(s, s.permutiveKey())).extracting(p -> p.get("elements").size()).containsExactly(3, 3, 1);
        }
    }

    @Test
    void theImportIsReadWithAnyValidKey() throws Exception {
        for (String key : new String[] {sandbox.permutiveKey(), sandbox.permutiveReadOnlyKey()}) {
            JsonNode imp = json(api().get("/imports/" + IMPORT, key), 200);
            assertThat(fields(imp)).contains("id", "name", "code", "relation", "identifiers", "source");
            assertThat(imp.get("id").asText()).isEqualTo(IMPORT);
            assertThat(imp.get("identifiers").isArray()).isTrue();
            assertThat(imp.get("identifiers")).isNotEmpty();
            assertThat(imp.get("source").isObject()).isTrue();
        }
    }

    @Test
    void anUnknownImportIs404OnEveryImportEndpoint() throws Exception {
        envelope(api().get("/imports/" + OTHER_UUID, sandbox.permutiveKey()), 404, "Not Found", 3000);
        envelope(api().get("/imports/" + OTHER_UUID + "/segments", sandbox.permutiveKey()), 404, "Not Found", 3000);
        envelope(api().patch(OTHER_UUID, ops(create("a", "A"))), 404, "Not Found", 3000);
    }

    // ---- keys and faults

    @Test
    void wrongOrMissingKeysAre401AndAReadOnlyKeyWritingIs403() throws Exception {
        envelope(api().patch(IMPORT, ops(create("a", "A")), "wrong-key"), 401, "Unauthorized", 2000);
        envelope(api().get("/imports/" + IMPORT, "wrong-key"), 401, "Unauthorized", 2000);
        envelope(api().get("/imports/" + IMPORT + "/segments", null), 401, "Unauthorized", 2004);
        envelope(api().patch(IMPORT, ops(create("a", "A")), sandbox.permutiveReadOnlyKey()), 403, "Forbidden", 2001);
        assertThat(sandbox.client().importSegments(IMPORT)).isEmpty();
    }

    @Test
    void injectedFaultsAnswerWithTheEnvelope() throws Exception {
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(503).scope(FaultConfig.Scope.TAXONOMY).build());
        envelope(api().patch(IMPORT, ops(create("a", "A"))), 503, "Service Unavailable", 5000);
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(500).build());
        envelope(api().get("/imports/" + IMPORT, sandbox.permutiveKey()), 500, "Internal Server Error", 5000);
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(429).retryAfterSeconds(2).build());
        HttpResponse<String> throttled = api().get("/imports/" + IMPORT + "/segments", sandbox.permutiveKey());
        envelope(throttled, 429, "Too Many Requests", 429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(400).build());
        assertPlain400(api().patch(IMPORT, ops(create("a", "A"))), BAD_BODY);
        assertThat(sandbox.client().importSegments(IMPORT)).isEmpty();
    }

    // ---- helpers

    private static void seed(String... codes) {
        List<Segment> segments = new ArrayList<>();
        for (String c : codes) {
            segments.add(Segment.of(c, "name " + c));
        }
        sandbox.client().putImport(IMPORT, segments);
    }

    /** Follows {@code next_token} from the first page to the last; every page checked for its shape. */
    private static List<JsonNode> allPages(SandboxServer server, String key) throws Exception {
        ApiCalls calls = new ApiCalls(server);
        List<JsonNode> pages = new ArrayList<>();
        String token = null;
        int total = -1;
        do {
            String q = "/imports/" + IMPORT + "/segments"
                    + (token == null ? "" : "?pagination_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            JsonNode page = json(calls.get(q, key), 200);
            assertThat(fields(page)).containsExactlyInAnyOrder("elements", "pagination");
            assertThat(page.get("elements").isArray()).isTrue();
            JsonNode pagination = page.get("pagination");
            assertThat(fields(pagination)).isSubsetOf("next_token", "total_count");
            assertThat(pagination.get("total_count").isIntegralNumber()).isTrue();
            if (total >= 0) {
                assertThat(pagination.get("total_count").asInt()).isEqualTo(total);
            }
            total = pagination.get("total_count").asInt();
            JsonNode next = pagination.get("next_token");
            token = next == null || next.isNull() ? null : next.asText();
            if (token != null) {
                assertThat(next.isTextual()).isTrue();
            }
            pages.add(page);
            assertThat(pages.size()).as("pages end").isLessThan(1000);
        } while (token != null);
        int sum = pages.stream().mapToInt(p -> p.get("elements").size()).sum();
        assertThat(sum).as("total_count").isEqualTo(total);
        return pages;
    }

    private static void assertSegment(JsonNode s) {
        assertThat(fields(s)).containsAll(SEGMENT_REQUIRED);
        assertThat(SEGMENT_FIELDS).containsAll(fields(s));
        assertThat(UUID.fromString(s.get("id").asText())).isNotNull();
        assertThat(s.get("import_id").asText()).isEqualTo(IMPORT);
        assertThat(Instant.parse(s.get("updated_at").asText())).isBeforeOrEqualTo(Instant.now());
    }

    /** Holds an error answer to the envelope; returns its {@code error}. */
    private static JsonNode envelope(HttpResponse<String> r, int status, String reason, int code) throws Exception {
        JsonNode body = json(r, status);
        assertThat(fields(body)).containsExactlyInAnyOrder("request_id", "error");
        assertThat(UUID.fromString(body.get("request_id").asText())).isNotNull();
        JsonNode error = body.get("error");
        assertThat(fields(error)).containsAll(ERROR_REQUIRED);
        assertThat(ERROR_FIELDS).containsAll(fields(error));
        assertThat(error.get("status").asText()).isEqualTo(reason);
        assertThat(error.get("code").isIntegralNumber()).isTrue();
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("docs").asText()).isEqualTo(ERRORS_DOCS);
        assertThat(r.body()).doesNotContain("\"index\"", "\"errors\"");
        return error;
    }

    private static void assertPlain400(HttpResponse<String> r, String text) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(r.body()).isEqualTo(text);
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        return Json.MAPPER.readTree(r.body());
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> out = new HashSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

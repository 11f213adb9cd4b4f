package dev.audiencemirror.sandbox.taxonomy;

import static dev.audiencemirror.sandbox.ApiCalls.create;
import static dev.audiencemirror.sandbox.ApiCalls.delete;
import static dev.audiencemirror.sandbox.ApiCalls.ops;
import static dev.audiencemirror.sandbox.ApiCalls.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.http.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code taxonomyRowErrors} mode: the answers the sandbox gave before it played the published contract
 * (per-row errors inside a 200, JSON 400s naming row and field, {@code items} pages with {@code limit}), kept
 * exactly. The default mode is held to the published contract by {@link PublishedContractTest}.
 */
class TaxonomyEndpointsTest {

    static final String IMPORT = "32f8e031-c532-41bb-b25e-65bdb677a96f";

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().imports(IMPORT).taxonomyRowErrors(true).build();

    private ApiCalls api() {
        return new ApiCalls(sandbox);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void createUpdateDeleteApplyAndAnswerItems() throws Exception {
        HttpResponse<String> r = api().patch(IMPORT, ops(
                "{\"operation\":\"Create\",\"data\":{\"code\":\"s1\",\"name\":\"One\",\"cpm\":2.5,\"categories\":[\"news\"]}}",
                create("s2", "Two")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("items")).hasSize(2);
        assertThat(json(r).get("items").get(0).get("code").asText()).isEqualTo("s1");
        assertThat(json(r).get("errors")).isEmpty();

        assertThat(api().patch(IMPORT, ops(update("s1", "Uno"), delete("s2"))).statusCode()).isEqualTo(200);
        assertThat(sandbox.client().importSegments(IMPORT))
                .containsOnlyKeys("s1")
                .containsEntry("s1", new Segment("s1", "Uno", null, 2.5, List.of("news")));
        SandboxStats stats = sandbox.client().stats();
        assertThat(stats.applied(SandboxStats.SEGMENT_CREATED)).isEqualTo(2);
        assertThat(stats.applied(SandboxStats.SEGMENT_UPDATED)).isEqualTo(1);
        assertThat(stats.applied(SandboxStats.SEGMENT_DELETED)).isEqualTo(1);
        assertThat(stats.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS, 200)).isEqualTo(2);
    }

    @Test
    void failingRowsAreReportedPerRowAndTheOthersApplied() throws Exception {
        api().patch(IMPORT, ops(create("dup", "Dup")));
        HttpResponse<String> r = api().patch(IMPORT, ops(
                create("new1", "New"), create("dup", "Again"), update("ghost", "G"), delete("ghost2"),
                create("new2", "New2")));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("items")).hasSize(2);
        List<String> errors = new ArrayList<>();
        body.get("errors").forEach(e -> errors.add(e.get("index").asInt() + ":" + e.get("code").asText() + ":"
                + e.get("status").asInt()));
        assertThat(errors).containsExactly("1:dup:409", "2:ghost:404", "3:ghost2:404");
        assertThat(body.get("errors").get(0).get("message").asText()).contains("already exists");
        assertThat(sandbox.client().importSegments(IMPORT)).containsOnlyKeys("dup", "new1", "new2");
        assertThat(sandbox.client().importSegments(IMPORT).get("dup").name()).isEqualTo("Dup");
        assertThat(sandbox.client().stats().segmentRowsFailed()).isEqualTo(3);
    }

    @Test
    void aMalformedRowRejectsTheWholeBatchNamingRowAndField() throws Exception {
        HttpResponse<String> r = api().patch(IMPORT, ops(create("ok", "Ok"),
                "{\"operation\":\"Create\",\"data\":{\"code\":\"bad\"}}"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("index").asInt()).isEqualTo(1);
        assertThat(json(r).get("field").asText()).isEqualTo("data.name");
        assertThat(json(r).get("message").asText()).contains("operations[1]");
        assertThat(sandbox.client().importSegments(IMPORT)).isEmpty();

        assertThat(api().patch(IMPORT, ops("{\"operation\":\"Rename\",\"code\":\"x\"}")).statusCode()).isEqualTo(400);
        assertThat(api().patch(IMPORT, "{not json").statusCode()).isEqualTo(400);
    }

    @Test
    void moreThan5000OperationsIs400() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            items.add(create("c" + i, "n"));
        }
        HttpResponse<String> r = api().patch(IMPORT, ops(items.toArray(String[]::new)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("5000");
        items.remove(0);
        assertThat(api().patch(IMPORT, ops(items.toArray(String[]::new))).statusCode()).isEqualTo(200);
        assertThat(sandbox.client().importSegments(IMPORT)).hasSize(5000);
    }

    @Test
    void unknownImportIs404() {
        assertThat(api().patch("no-such-import", ops(create("a", "A"))).statusCode()).isEqualTo(404);
        assertThat(api().get("/imports/no-such-import", sandbox.permutiveKey()).statusCode()).isEqualTo(404);
        HttpResponse<String> r = api().get("/imports/no-such-import/segments", sandbox.permutiveKey());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("import not found");
    }

    @Test
    void keysWrongIs401ReadOnlyIs403OnWritesOnly() {
        assertThat(api().patch(IMPORT, ops(create("a", "A")), "wrong").statusCode()).isEqualTo(401);
        assertThat(api().patch(IMPORT, ops(create("a", "A")), null).statusCode()).isEqualTo(401);
        assertThat(api().get("/imports/" + IMPORT, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> ro = api().patch(IMPORT, ops(create("a", "A")), sandbox.permutiveReadOnlyKey());
        assertThat(ro.statusCode()).isEqualTo(403);
        assertThat(ro.body()).contains("read-only");
        assertThat(api().get("/imports/" + IMPORT, sandbox.permutiveReadOnlyKey()).statusCode()).isEqualTo(200);
        assertThat(api().get("/imports/" + IMPORT + "/segments", sandbox.permutiveReadOnlyKey()).statusCode())
                .isEqualTo(200);
        assertThat(sandbox.client().importSegments(IMPORT)).isEmpty();
    }

    @Test
    void keyMayComeAsQueryParameterK() {
        assertThat(api().get("/imports/" + IMPORT + "?k=" + sandbox.permutiveKey(), null).statusCode()).isEqualTo(200);
        assertThat(api().get("/imports/" + IMPORT + "?k=wrong", null).statusCode()).isEqualTo(401);
    }

    @Test
    void getImportDescribesIt() throws Exception {
        api().patch(IMPORT, ops(create("a", "A"), create("b", "B")));
        JsonNode body = json(api().get("/imports/" + IMPORT, sandbox.permutiveKey()));
        assertThat(body.get("id").asText()).isEqualTo(IMPORT);
        assertThat(body.get("segment_count").asInt()).isEqualTo(2);
    }

    @Test
    void segmentsArePaginatedByToken() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            items.add(create(String.format("seg-%03d", i), "n" + i));
        }
        api().patch(IMPORT, ops(items.toArray(String[]::new)));

        List<String> codes = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String q = "/imports/" + IMPORT + "/segments?limit=100" + (token == null ? "" : "&pagination_token=" + token);
            JsonNode page = json(api().get(q, sandbox.permutiveReadOnlyKey()));
            page.get("items").forEach(s -> codes.add(s.get("code").asText()));
            JsonNode next = page.get("pagination").get("next_token");
            token = next.isNull() ? null : next.asText();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(codes).hasSize(250).isSorted().doesNotHaveDuplicates();

        JsonNode all = json(api().get("/imports/" + IMPORT + "/segments", sandbox.permutiveKey()));
        assertThat(all.get("items")).hasSize(TaxonomyApi.DEFAULT_PAGE_SIZE);
        assertThat(api().get("/imports/" + IMPORT + "/segments?pagination_token=%25%25", sandbox.permutiveKey())
                .statusCode()).isEqualTo(400);
        assertThat(api().get("/imports/" + IMPORT + "/segments?limit=0", sandbox.permutiveKey()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void batchesWithTheSameCodeTwiceAreCounted() {
        api().patch(IMPORT, ops(create("a", "A"), update("a", "A2")));
        api().patch(IMPORT, ops(create("b", "B"), create("c", "C")));
        api().patch(IMPORT, ops(delete("b"), delete("b"), delete("b")));
        assertThat(sandbox.client().stats().sameCodeInBatchCount()).isEqualTo(2);
    }

    @Test
    void otherMethodsAre405() {
        HttpResponse<String> r = ApiCalls.send(api().request("/imports/" + IMPORT + "/segments")
                .header("X-Api-Key", sandbox.permutiveKey()).DELETE().build());
        assertThat(r.statusCode()).isEqualTo(405);
    }
}

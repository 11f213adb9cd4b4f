package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The /_sandbox/ set-up and inspection API, through its typed client. */
class SandboxClientTest {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).imports("imp").build();

    @Test
    void listsCanBeCreatedSeededAndDeleted() {
        SandboxClient c = sandbox.client();
        c.createList(700);
        c.putList(701, List.of(5L, 3L, 4L));
        assertThat(c.lists()).containsExactly(678L, 700L, 701L);
        assertThat(c.listContacts(701)).containsExactly(3L, 4L, 5L);
        c.createList(701);
        assertThat(c.listContacts(701)).hasSize(3);
        c.deleteList(701);
        assertThatThrownBy(() -> c.listContacts(701)).isInstanceOf(SandboxClient.SandboxClientException.class)
                .satisfies(e -> assertThat(((SandboxClient.SandboxClientException) e).status()).isEqualTo(404));
        assertThat(new ApiCalls(sandbox).adestra("POST", 1, 701).statusCode()).isEqualTo(404);
    }

    @Test
    void contactsByListGivesEachListsContactsKeyedAndSortedByList() {
        SandboxClient c = sandbox.client();
        c.putList(702, List.of(9L, 7L));
        c.putList(701, List.of(2L));
        var expected = new java.util.TreeMap<Long, java.util.SortedSet<Long>>();
        expected.put(701L, new java.util.TreeSet<>(List.of(2L)));
        expected.put(702L, new java.util.TreeSet<>(List.of(7L, 9L)));
        expected.put(678L, new java.util.TreeSet<>());
        assertThat(c.contactsByList(702, 678, 701)).isEqualTo(expected);
        assertThat(c.contactsByList(List.of(701L, 702L, 678L))).isEqualTo(expected);
        assertThat(c.contactsByList(702).firstKey()).isEqualTo(702L);
    }

    @Test
    void importsCanBeCreatedSeededAndDeleted() {
        SandboxClient c = sandbox.client();
        c.putImport("imp-2", List.of(new Segment("b", "B", "desc", 1.0, List.of("x")), Segment.of("a", "A")));
        assertThat(c.importSegments("imp-2")).containsOnlyKeys("a", "b");
        assertThat(c.importSegments("imp-2").get("b").categories()).containsExactly("x");
        c.createImport("imp-3");
        assertThat(c.imports()).containsExactly("imp", "imp-2", "imp-3");
        c.deleteImport("imp-3");
        assertThat(c.imports()).containsExactly("imp", "imp-2");
    }

    @Test
    void logListsRequestsInOrderSinceASequenceNumber() {
        ApiCalls api = new ApiCalls(sandbox);
        api.adestra("POST", 1, 678);
        api.adestra("DELETE", 1, 678);
        api.adestra("POST", 2, 999);
        List<LogEntry> all = sandbox.client().log(0);
        assertThat(all).extracting(LogEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(all).extracting(LogEntry::method).containsExactly("POST", "DELETE", "POST");
        assertThat(all).extracting(LogEntry::status).containsExactly(204, 204, 404);
        assertThat(all).extracting(LogEntry::applied).containsExactly(true, true, false);
        assertThat(all.get(0).path()).isEqualTo("/contacts/1/lists/678");
        assertThat(all.get(0).timeMs()).isPositive();
        assertThat(sandbox.client().log(2)).extracting(LogEntry::seq).containsExactly(3L);
        SandboxClient.LogPage page = sandbox.client().logPage(0, 2);
        assertThat(page.entries()).hasSize(2);
        assertThat(page.nextSince()).isEqualTo(2);
    }

    @Test
    void resetClearsStateStatsAndLogButKeepsConfiguredListsAndImports() {
        ApiCalls api = new ApiCalls(sandbox);
        api.adestra("POST", 1, 678);
        sandbox.client().createList(800);
        sandbox.client().reset();
        assertThat(sandbox.client().lists()).containsExactly(678L);
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        assertThat(sandbox.client().imports()).containsExactly("imp");
        assertThat(sandbox.client().log(0)).isEmpty();
        assertThat(sandbox.client().stats().appliedTotal()).isZero();
        assertThat(sandbox.client().stats().requests()).isEmpty();
    }

    @Test
    void adminApiAnswersJsonErrors() {
        ApiCalls api = new ApiCalls(sandbox);
        assertThat(sandbox.client().healthy()).isTrue();
        HttpResponse<String> unknown = api.get("/_sandbox/nothing", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(api.get("/_sandbox/adestra/lists/abc", null).statusCode()).isEqualTo(400);
        assertThat(api.get("/_sandbox/log?since=x", null).statusCode()).isEqualTo(400);
        assertThat(api.get("/_sandbox/reset", null).statusCode()).isEqualTo(405);
        assertThatThrownBy(() -> sandbox.client().save()).isInstanceOf(SandboxClient.SandboxClientException.class)
                .hasMessageContaining("409");
    }

    @Test
    void theAdminApiIsTheSameInBothTaxonomyModes() {
        String id = "32f8e031-c532-41bb-b25e-65bdb677a96f";
        for (boolean rowErrors : new boolean[] {false, true}) {
            try (SandboxServer s = SandboxServer.builder().imports(id).taxonomyRowErrors(rowErrors).build().start()) {
                SandboxClient c = s.client();
                c.putImport(id, List.of(Segment.of("a", "A")));
                ApiCalls api = new ApiCalls(s);
                assertThat(api.patch(id, ApiCalls.ops(ApiCalls.create("b", "B"), ApiCalls.update("a", "A2"))).statusCode())
                        .isEqualTo(200);
                assertThat(c.importSegments(id)).as("rowErrors=" + rowErrors).containsOnlyKeys("a", "b");
                assertThat(c.importSegments(id).get("a").name()).isEqualTo("A2");
                assertThat(c.imports()).containsExactly(id);
                assertThat(c.stats().applied(SandboxStats.SEGMENT_CREATED)).isEqualTo(1);
                assertThat(api.get("/_sandbox/health", null).body()).contains("\"taxonomy_row_errors\":" + rowErrors);
                c.reset();
                assertThat(c.importSegments(id)).isEmpty();
            }
        }
    }

    @Test
    void statsAreJsonWithDocumentedNames() {
        new ApiCalls(sandbox).adestra("POST", 1, 678);
        String body = new ApiCalls(sandbox).get("/_sandbox/stats", null).body();
        assertThat(body).contains("\"requests\":{\"POST /contacts/{contact_id}/lists/{list_id}\":{\"204\":1}}",
                "\"max_concurrency_seen\":{\"" + sandbox.adestraKey() + "\":1", "\"same_code_in_batch_count\":0",
                "\"applied\":{\"adestra_added\":1}", "\"applied_total\":1");
    }
}

package dev.audiencemirror.sandbox.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdestraEndpointsTest {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678, 679).build();

    private ApiCalls api() {
        return new ApiCalls(sandbox);
    }

    @Test
    void addAndRemoveAreIdempotentAndAnswer204() {
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThat(api().adestra("POST", 2, 678).statusCode()).isEqualTo(204);
        assertThat(sandbox.client().listContacts(678)).containsExactly(1L, 2L);

        assertThat(api().adestra("DELETE", 1, 678).statusCode()).isEqualTo(204);
        assertThat(api().adestra("DELETE", 1, 678).statusCode()).isEqualTo(204);
        assertThat(sandbox.client().listContacts(678)).containsExactly(2L);
        assertThat(sandbox.client().listContacts(679)).isEmpty();

        SandboxStats stats = sandbox.client().stats();
        assertThat(stats.applied(SandboxStats.ADESTRA_ADDED)).isEqualTo(2);
        assertThat(stats.applied(SandboxStats.ADESTRA_REMOVED)).isEqualTo(1);
        assertThat(stats.applied(SandboxStats.ADESTRA_UNCHANGED)).isEqualTo(2);
        assertThat(stats.appliedTotal()).isEqualTo(5);
        assertThat(stats.requests(Endpoint.ADESTRA_ADD, 204)).isEqualTo(3);
        assertThat(stats.requests(Endpoint.ADESTRA_REMOVE, 204)).isEqualTo(2);
    }

    @Test
    void wrongOrMissingKeyIs401SayingTheKeyIsInvalid() {
        HttpResponse<String> wrong = api().adestra("POST", 1, 678, "TOKEN not-the-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("invalid");
        assertThat(api().adestra("POST", 1, 678, null).statusCode()).isEqualTo(401);
        assertThat(api().adestra("POST", 1, 678, "Bearer " + sandbox.adestraKey()).statusCode()).isEqualTo(401);
        assertThat(api().adestra("POST", 1, 678, sandbox.adestraKey()).statusCode()).isEqualTo(401);
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        assertThat(sandbox.client().stats().requests(Endpoint.ADESTRA_ADD, 401)).isEqualTo(4);
    }

    @Test
    void schemeWordIgnoresCase() {
        assertThat(api().adestra("POST", 1, 678, "Token " + sandbox.adestraKey()).statusCode()).isEqualTo(204);
    }

    @Test
    void unknownListIs404AndIsNeverCreated() {
        HttpResponse<String> r = api().adestra("POST", 1, 999);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("list not found");
        assertThat(api().adestra("DELETE", 1, 999).statusCode()).isEqualTo(404);
        assertThat(sandbox.client().lists()).containsExactly(678L, 679L);
    }

    @Test
    void readingAListChecksTheKeyAndThatTheListExists() {
        String auth = "TOKEN " + sandbox.adestraKey();
        api().adestra("POST", 7, 678);
        HttpResponse<String> found = ApiCalls.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sandbox.baseUrl() + "/lists/678")).header("Authorization", auth).GET().build());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"id\":678").contains("\"contacts\":1");

        HttpResponse<String> missing = ApiCalls.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sandbox.baseUrl() + "/lists/999")).header("Authorization", auth).GET().build());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("list not found");

        HttpResponse<String> badKey = ApiCalls.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(sandbox.baseUrl() + "/lists/678")).header("Authorization", "TOKEN nope").GET().build());
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(sandbox.client().lists()).containsExactly(678L, 679L);
        assertThat(sandbox.client().stats().requests(Endpoint.ADESTRA_GET_LIST)).isEqualTo(3);
    }

    @Test
    void nonNumericIdsAre400() {
        HttpResponse<String> contact = api().adestra("POST", "abc", 678);
        assertThat(contact.statusCode()).isEqualTo(400);
        assertThat(contact.body()).contains("contact_id");
        HttpResponse<String> list = api().adestra("DELETE", 1, "list-1");
        assertThat(list.statusCode()).isEqualTo(400);
        assertThat(list.body()).contains("list_id");
        assertThat(api().adestra("POST", "-5", 678).statusCode()).isEqualTo(400);
    }

    @Test
    void otherMethodsAre405AndUnknownPaths404() {
        HttpResponse<String> r = ApiCalls.send(api().request("/contacts/1/lists/678")
                .header("Authorization", "TOKEN " + sandbox.adestraKey()).GET().build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST, DELETE");
        assertThat(api().get("/contacts/1", null).statusCode()).isEqualTo(404);
        assertThat(sandbox.client().stats().requests(Endpoint.OTHER)).isEqualTo(2);
    }

    @Test
    void numericIdsAcceptOnlyDigits() {
        assertThat(AdestraApi.numericId("123")).isEqualTo(123L);
        assertThat(AdestraApi.numericId("0")).isZero();
        assertThat(AdestraApi.numericId("12a")).isNull();
        assertThat(AdestraApi.numericId("")).isNull();
        assertThat(AdestraApi.numericId("1234567890123456789")).isNull();
    }
}

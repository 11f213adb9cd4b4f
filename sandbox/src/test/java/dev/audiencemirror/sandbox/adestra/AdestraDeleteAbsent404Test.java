package dev.audiencemirror.sandbox.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The mode where a DELETE of a contact that is not on the list answers 404, as Adestra may. */
class AdestraDeleteAbsent404Test {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).adestraDeleteAbsent404(true).build();

    private ApiCalls api() {
        return new ApiCalls(sandbox);
    }

    @Test
    void removingAContactThatIsNotOnTheListAnswers404AndChangesNothing() {
        api().adestra("POST", 1, 678);
        assertThat(api().adestra("DELETE", 1, 678).statusCode()).as("a member is removed as usual").isEqualTo(204);

        HttpResponse<String> again = api().adestra("DELETE", 1, 678);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("not on list 678").doesNotContain("list not found");
        assertThat(api().adestra("DELETE", 2, 678).statusCode()).isEqualTo(404);
        assertThat(sandbox.client().lists()).containsExactly(678L);
        assertThat(sandbox.client().listContacts(678)).isEmpty();

        SandboxStats stats = sandbox.client().stats();
        assertThat(stats.requests(Endpoint.ADESTRA_REMOVE, 404)).isEqualTo(2);
        assertThat(stats.applied(SandboxStats.ADESTRA_UNCHANGED)).as("a 404 is not an effect").isZero();
        assertThat(sandbox.client().log(0)).filteredOn(e -> e.status() == 404).extracting(LogEntry::applied)
                .containsOnly(false);
    }

    @Test
    void addsAnswerAsBeforeAndAMissingListIsStillListNotFound() {
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThat(api().adestra("POST", 1, 678).statusCode()).as("an add stays idempotent").isEqualTo(204);

        HttpResponse<String> noList = api().adestra("DELETE", 1, 999);
        assertThat(noList.statusCode()).isEqualTo(404);
        assertThat(noList.body()).contains("list not found: 999");
        assertThat(sandbox.server().adestraDeleteAbsent404()).isTrue();
    }
}

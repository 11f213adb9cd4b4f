package dev.audiencemirror.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultsOverHttpTest {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).imports("7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d").seed(3).build();

    private ApiCalls api() {
        return new ApiCalls(sandbox);
    }

    private HttpRequest post(int contact) {
        return api().request("/contacts/" + contact + "/lists/678")
                .header("Authorization", "TOKEN " + sandbox.adestraKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    @Test
    void injected429CarriesRetryAfterAndAppliesNothing() {
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(429).retryAfterSeconds(3).build());
        HttpResponse<String> r = api().adestra("POST", 1, 678);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
    }

    @Test
    void injected500And503ApplyNothingByDefault() {
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(500).build());
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(500);
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(503).build());
        assertThat(api().adestra("POST", 2, 678).statusCode()).isEqualTo(503);
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        List<LogEntry> log = sandbox.client().log(0);
        assertThat(log).extracting(LogEntry::status).containsExactly(500, 503);
        assertThat(log).extracting(LogEntry::note).containsExactly("fault 500", "fault 503");
        assertThat(log).noneMatch(LogEntry::applied);
    }

    @Test
    void failureAfterApplyChangesStateButAnswersTheFailure() {
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(503).failAfterApplyRate(1).build());
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(503);
        assertThat(sandbox.client().listContacts(678)).containsExactly(1L);
        LogEntry e = sandbox.client().log(0).get(0);
        assertThat(e.applied()).isTrue();
        assertThat(e.status()).isEqualTo(503);
    }

    @Test
    void droppedConnectionGivesTheClientAnIOExceptionAndNoAnswer() {
        sandbox.setFaults(FaultConfig.builder().dropRate(1).build());
        assertThatThrownBy(() -> ApiCalls.HTTP.send(post(1), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        assertThat(sandbox.client().stats().requests(Endpoint.ADESTRA_ADD, 0)).isEqualTo(1);
        assertThat(sandbox.client().stats().inFlight().get(sandbox.adestraKey())).isZero();

        sandbox.setFaults(FaultConfig.NONE);
        assertThat(api().adestra("POST", 2, 678).statusCode()).isEqualTo(204);
    }

    @Test
    void dropAfterApplyLosesOnlyTheAnswer() {
        sandbox.setFaults(FaultConfig.builder().failNext(1).failNextStatus(0).failAfterApplyRate(1).build());
        assertThatThrownBy(() -> ApiCalls.HTTP.send(post(5), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.client().listContacts(678)).containsExactly(5L);
        assertThat(sandbox.client().log(0)).singleElement()
                .satisfies(e -> assertThat(e.status()).isZero())
                .satisfies(e -> assertThat(e.applied()).isTrue());
    }

    @Test
    void slowAnswerOutlastsTheClientTimeoutButTheEffectIsApplied() throws Exception {
        sandbox.setFaults(FaultConfig.builder().slowRate(1).slowMs(3000).build());
        HttpRequest r = api().request("/contacts/9/lists/678").timeout(Duration.ofMillis(300))
                .header("Authorization", "TOKEN " + sandbox.adestraKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ApiCalls.HTTP.send(r, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2500);
        assertThat(sandbox.client().listContacts(678)).containsExactly(9L);
        // The slot is freed at once: a client that gave up holds no connection the server should count.
        assertThat(sandbox.client().stats().inFlight().get(sandbox.adestraKey())).isZero();
    }

    @Test
    void slowAnswerArrivesLateForAPatientClient() {
        sandbox.setFaults(FaultConfig.builder().slowRate(1).slowMs(400).build());
        long t0 = System.nanoTime();
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(400);
    }

    @Test
    void heldRequestTakesEffectAfterHoldMsAfterALaterRequestForTheSameKey() throws Exception {
        sandbox.setFaults(FaultConfig.builder().holdRate(1).holdMs(1200).build());
        HttpRequest add = api().request("/contacts/9/lists/678").timeout(Duration.ofMillis(300))
                .header("Authorization", "TOKEN " + sandbox.adestraKey())
                .header(LogEntry.VERSION_HEADER, "1")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThatThrownBy(() -> ApiCalls.HTTP.send(add, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        // The client gave up; a held request holds no slot of the concurrency limit.
        assertThat(sandbox.client().stats().inFlight().getOrDefault(sandbox.adestraKey(), 0)).isZero();

        sandbox.setFaults(FaultConfig.NONE);
        HttpRequest remove = api().request("/contacts/9/lists/678")
                .header("Authorization", "TOKEN " + sandbox.adestraKey())
                .header(LogEntry.VERSION_HEADER, "2")
                .DELETE().build();
        assertThat(ApiCalls.send(remove).statusCode()).isEqualTo(204);
        assertThat(sandbox.client().listContacts(678)).isEmpty();

        long deadline = System.currentTimeMillis() + 5_000;
        while (sandbox.client().listContacts(678).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.client().listContacts(678)).as("the held add took effect late").containsExactly(9L);
        List<LogEntry> log = sandbox.client().log(0);
        LogEntry held = log.stream().filter(e -> Long.valueOf(1).equals(e.operationVersion())).findFirst().orElseThrow();
        LogEntry newer = log.stream().filter(e -> Long.valueOf(2).equals(e.operationVersion())).findFirst().orElseThrow();
        assertThat(held.applied()).isTrue();
        assertThat(held.note()).isEqualTo("held 1200ms");
        assertThat(held.timeMs() - held.arrivedMs()).isGreaterThanOrEqualTo(1200);
        assertThat(held.arrivedMs()).isLessThan(newer.arrivedMs());
        assertThat(held.seq()).as("the older operation took effect after the newer one").isGreaterThan(newer.seq());
    }

    @Test
    void aHeldTaxonomyBatchTakesEffectAfterANewerBatchAndTheLogNamesWhatEachChanged() throws Exception {
        String imp = "7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d";
        assertThat(api().patch(imp, ApiCalls.ops(ApiCalls.create("held-seg", "v1"))).statusCode()).isEqualTo(200);
        sandbox.setFaults(FaultConfig.builder().holdRate(1).holdMs(1200).scope(FaultConfig.Scope.TAXONOMY).build());
        HttpRequest older = api().request("/imports/" + imp + "/segments").timeout(Duration.ofMillis(300))
                .header("X-Api-Key", sandbox.permutiveKey()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(ApiCalls.ops(ApiCalls.update("held-seg", "v2"))))
                .build();
        assertThatThrownBy(() -> ApiCalls.HTTP.send(older, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        sandbox.setFaults(FaultConfig.NONE);
        assertThat(api().patch(imp, ApiCalls.ops(ApiCalls.update("held-seg", "v3"))).statusCode()).isEqualTo(200);
        assertThat(sandbox.client().importSegments(imp).get("held-seg").name()).isEqualTo("v3");

        long deadline = System.currentTimeMillis() + 5_000;
        while (!sandbox.client().importSegments(imp).get("held-seg").name().equals("v2")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.client().importSegments(imp).get("held-seg").name()).as("the held batch took effect late")
                .isEqualTo("v2");
        List<LogEntry> patches = sandbox.client().log(0).stream()
                .filter(e -> e.applied() && e.endpoint().equals(Endpoint.TAXONOMY_PATCH_SEGMENTS.label())).toList();
        LogEntry held = patches.stream().filter(e -> List.of("Update held-seg v2").equals(e.rows())).findFirst().orElseThrow();
        LogEntry newer = patches.stream().filter(e -> List.of("Update held-seg v3").equals(e.rows())).findFirst().orElseThrow();
        assertThat(held.note()).isEqualTo("held 1200ms");
        assertThat(held.arrivedMs()).isLessThan(newer.arrivedMs());
        assertThat(held.seq()).as("the older batch took effect after the newer one").isGreaterThan(newer.seq());
        assertThat(patches.get(0).rows()).containsExactly("Create held-seg v1");
    }

    @Test
    void latencyDelaysEveryRequest() {
        sandbox.setFaults(FaultConfig.builder().latencyMs(150).latencyJitterMs(50).build());
        long t0 = System.nanoTime();
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
    }

    @Test
    void scopeLimitsFaultsToOneApi() {
        sandbox.setFaults(FaultConfig.builder().rate500(1).scope(FaultConfig.Scope.ADESTRA).build());
        assertThat(api().adestra("POST", 1, 678).statusCode()).isEqualTo(500);
        assertThat(api().get("/imports/7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d", sandbox.permutiveKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void sameSeedGivesTheSameSequenceOfStatuses() {
        FaultConfig faults = FaultConfig.builder().rate429(0.2).rate500(0.2).rate503(0.2).seed(1234L).build();
        List<Integer> first = statuses(faults, 60);
        List<Integer> again = statuses(faults, 60);
        List<Integer> otherSeed = statuses(faults.toBuilder().seed(4321L).build(), 60);
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        assertThat(first).contains(204, 429, 500, 503);
    }

    @Test
    void faultsAreSetAndReadOverHttpStrictly() {
        HttpResponse<String> ok = ApiCalls.send(api().request("/_sandbox/faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rate_503\":0.25,\"fail_next\":2}")).build());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"fail_next_remaining\":2");
        assertThat(sandbox.client().faults().rate503()).isEqualTo(0.25);

        HttpResponse<String> range = ApiCalls.send(api().request("/_sandbox/faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rate_500\":2}")).build());
        assertThat(range.statusCode()).isEqualTo(400);
        assertThat(range.body()).contains("rate_500");
        HttpResponse<String> typo = ApiCalls.send(api().request("/_sandbox/faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"rate_50\":0.1}")).build());
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("rate_50");
    }

    @Test
    void resetRestoresTheStartFaults() {
        sandbox.setFaults(FaultConfig.builder().rate500(1).build());
        sandbox.reset();
        assertThat(sandbox.client().faults()).isEqualTo(FaultConfig.NONE);
    }

    private List<Integer> statuses(FaultConfig faults, int n) {
        sandbox.client().setFaults(faults);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(api().adestra("POST", i, 678).statusCode());
        }
        return out;
    }
}

package dev.audiencemirror.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.http.Json;
import org.junit.jupiter.api.Test;

class FaultConfigTest {

    @Test
    void emptyJsonMeansNoFaultsWithDefaults() {
        FaultConfig c = Json.read("{}".getBytes(), FaultConfig.class);
        assertThat(c).isEqualTo(FaultConfig.NONE);
        assertThat(c.injectsNothing()).isTrue();
        assertThat(c.slowMs()).isEqualTo(FaultConfig.DEFAULT_SLOW_MS);
        assertThat(c.failNextStatus()).isEqualTo(503);
        assertThat(c.retryAfterSeconds()).isEqualTo(1);
        assertThat(c.scope()).isEqualTo(FaultConfig.Scope.ALL);
    }

    @Test
    void roundTripsThroughItsDocumentedJson() {
        FaultConfig c = FaultConfig.builder().latencyMs(5).latencyJitterMs(3).rate429(0.1).rate500(0.05)
                .rate503(0.05).dropRate(0.02).slowRate(0.01).slowMs(3000).holdRate(0.1).holdMs(4000).failNext(2).failNextStatus(0)
                .failAfterApplyRate(0.5).retryAfterSeconds(0).scope(FaultConfig.Scope.ADESTRA).seed(9L).build();
        String json = Json.string(c);
        assertThat(json).contains("\"latency_ms\":5", "\"latency_jitter_ms\":3", "\"rate_429\":0.1",
                "\"rate_500\":0.05", "\"rate_503\":0.05", "\"drop_rate\":0.02", "\"slow_rate\":0.01",
                "\"slow_ms\":3000", "\"hold_rate\":0.1", "\"hold_ms\":4000", "\"fail_next\":2", "\"fail_next_status\":0", "\"fail_after_apply_rate\":0.5",
                "\"retry_after_seconds\":0", "\"scope\":\"adestra\"", "\"seed\":9");
        assertThat(Json.read(json.getBytes(), FaultConfig.class)).isEqualTo(c);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> FaultConfig.builder().rate500(1.5).build()).hasMessageContaining("rate_500");
        assertThatThrownBy(() -> FaultConfig.builder().latencyMs(-1).build()).hasMessageContaining("latency_ms");
        assertThatThrownBy(() -> FaultConfig.builder().rate429(0.6).rate503(0.6).build())
                .hasMessageContaining("at most 1");
        assertThatThrownBy(() -> FaultConfig.builder().failNextStatus(200).build())
                .hasMessageContaining("fail_next_status");
    }

    @Test
    void scopeCoversItsApiOnly() {
        assertThat(FaultConfig.Scope.ADESTRA.covers(Endpoint.ADESTRA_ADD)).isTrue();
        assertThat(FaultConfig.Scope.ADESTRA.covers(Endpoint.TAXONOMY_PATCH_SEGMENTS)).isFalse();
        assertThat(FaultConfig.Scope.TAXONOMY.covers(Endpoint.TAXONOMY_GET_IMPORT)).isTrue();
        assertThat(FaultConfig.Scope.ALL.covers(Endpoint.OTHER)).isFalse();
        assertThat(FaultConfig.Scope.parse("Taxonomy")).isEqualTo(FaultConfig.Scope.TAXONOMY);
    }
}

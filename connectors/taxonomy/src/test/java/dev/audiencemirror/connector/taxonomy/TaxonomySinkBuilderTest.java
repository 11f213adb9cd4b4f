package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaxonomySinkBuilderTest {

    private static TaxonomySinkBuilder valid() {
        return TaxonomySink.builder()
                .baseUrl(URI.create("https://api.permutive.app/audience-api/v1/"))
                .apiKey(SecretRef.env("PERMUTIVE_API_KEY"))
                .importId("ede8970a-e828-5481-99ed-e3c07a3fc9f0")
                .deadLetterSink(new CollectingSink<>());
    }

    @Test
    void defaultsSuitTheApi() {
        TaxonomySinkConfig c = valid().build().config();
        assertThat(c.baseUrl()).hasToString("https://api.permutive.app/audience-api/v1");
        assertThat(c.batchSize()).isEqualTo(5_000);
        assertThat(c.maxBufferedOperations()).isEqualTo(20_000);
        assertThat(c.linger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.preflight()).isTrue();
        assertThat(c.apiKeyCheckInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.settleDelay()).as("three request timeouts").isEqualTo(Duration.ofSeconds(90));
        assertThat(c.toString()).as("where the key is, not the key").contains("apiKey=env PERMUTIVE_API_KEY");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> valid().batchSize(5_001).build()).hasMessageContaining("batchSize must be between 1 and 5000");
        assertThatThrownBy(() -> valid().batchSize(0).build()).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> valid().batchSize(100).maxBufferedOperations(99).build())
                .hasMessageContaining("maxBufferedOperations (99) must be at least batchSize (100)");
        assertThatThrownBy(() -> valid().importId(" ").build()).hasMessageContaining("importId is required");
        assertThatThrownBy(() -> valid().baseUrl(URI.create("ftp://x")).build()).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> valid().linger(Duration.ofMillis(-1)).build()).hasMessageContaining("linger");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build()).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> TaxonomySink.builder().baseUrl(URI.create("https://x")).apiKey(SecretRef.env("K"))
                .importId("i").build()).hasMessageContaining("deadLetterSink is required");
        assertThat(valid().batchSize(100).build().config().maxBufferedOperations()).isEqualTo(400);
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(2)).settleDelay(Duration.ofSeconds(1)).build())
                .hasMessage("settleDelay must be zero (never re-send) or at least the request timeout (PT2S), was PT1S");
        assertThat(valid().settleDelay(Duration.ZERO).build().config().settleDelay()).isZero();
        assertThat(valid().requestTimeout(Duration.ofSeconds(2)).build().config().settleDelay()).isEqualTo(Duration.ofSeconds(6));
    }
}

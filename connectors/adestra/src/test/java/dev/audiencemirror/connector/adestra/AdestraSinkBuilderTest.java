package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pins the defaults and messages, half of which live in the shared HttpSinkBuilder. */
class AdestraSinkBuilderTest {

    private static AdestraSinkBuilder valid() {
        return AdestraSink.builder()
                .baseUrl(URI.create("https://app.adestra.com/api/rest/1/"))
                .apiKey(SecretRef.env("ADESTRA_API_KEY"))
                .expectedLists(Set.of(678L))
                .deadLetterSink(new CollectingSink<>());
    }

    @Test
    void defaults() {
        AdestraSinkConfig c = valid().build().config();
        assertThat(c.baseUrl()).hasToString("https://app.adestra.com/api/rest/1");
        assertThat(c.authScheme()).isEqualTo("TOKEN");
        assertThat(c.maxConcurrency()).isEqualTo(10);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxBufferedOperations()).isEqualTo(100_000);
        assertThat(c.preflight()).isTrue();
        assertThat(c.expectedLists()).containsExactly(678L);
        assertThat(c.apiKeyCheckInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.settleDelay()).as("three request timeouts").isEqualTo(Duration.ofSeconds(30));
        assertThat(valid().requestTimeout(Duration.ofSeconds(2)).build().config().settleDelay())
                .isEqualTo(Duration.ofSeconds(6));
        assertThat(valid().settleDelay(Duration.ZERO).build().config().settleDelay()).as("off").isZero();
        assertThat(c.toString()).as("where the key is, not the key").contains("apiKey=env ADESTRA_API_KEY");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> AdestraSink.builder().build()).hasMessage("baseUrl is required");
        assertThatThrownBy(() -> valid().baseUrl(URI.create("ftp://x")).build())
                .hasMessage("baseUrl must be an http(s) URL, was ftp://x");
        assertThatThrownBy(() -> AdestraSink.builder().baseUrl(URI.create("https://x")).build())
                .hasMessage("apiKey is required");
        assertThatThrownBy(() -> valid().authScheme("two words").build()).hasMessageContaining("authScheme");
        assertThatThrownBy(() -> valid().maxConcurrency(11).build()).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
                .hasMessage("requestTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> valid().apiKeyCheckInterval(Duration.ZERO).build())
                .hasMessage("apiKeyCheckInterval must be positive, was PT0S");
        assertThatThrownBy(() -> valid().maxBufferedOperations(0).build())
                .hasMessage("maxBufferedOperations must be at least 1, was 0");
        assertThatThrownBy(() -> valid().settleDelay(Duration.ofSeconds(5)).build())
                .hasMessage("settleDelay must be zero (never re-send) or at least the request timeout (PT10S), was PT5S");
        assertThatThrownBy(() -> valid().settleDelay(Duration.ofSeconds(-1)).build()).hasMessageContaining("settleDelay");
        assertThatThrownBy(() -> AdestraSink.builder().baseUrl(URI.create("https://x")).apiKey(SecretRef.env("K")).build())
                .hasMessage("deadLetterSink is required: refused operations must go somewhere");
        // Several bad settings: the connector's own checks still come between the shared ones.
        assertThatThrownBy(() -> valid().maxConcurrency(0).requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("maxConcurrency");
    }
}

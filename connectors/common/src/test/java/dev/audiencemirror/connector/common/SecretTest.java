package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void neverPrintsTheKey() {
        Secret key = Secret.of("  s3cret-value ", "env ADESTRA_API_KEY");

        assertThat(key.reveal()).isEqualTo("s3cret-value");
        assertThat(key.toString()).doesNotContain("s3cret").isEqualTo("****");
        assertThat(key.describe()).doesNotContain("s3cret").contains("env ADESTRA_API_KEY");
        assertThat("key=" + key).isEqualTo("key=****");
    }

    @Test
    void emptyKeyIsRefusedNamingItsSource() {
        assertThatThrownBy(() -> Secret.of("   ", "file /run/secrets/adestra"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file /run/secrets/adestra")
                .hasMessageContaining("empty");
    }
}

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
    void theFingerprintIsTheSha256PrefixThatSha256sumPrints() {
        // printf %s s3cret-value | sha256sum → bf496b76…
        Secret key = Secret.of("s3cret-value\n", "test");

        assertThat(key.fingerprintHex()).isEqualTo("bf496b76");
        assertThat(key.fingerprint()).isEqualTo(0xbf496b76L);
        assertThat(Secret.of("s3cret-valuf", "test").fingerprintHex()).isNotEqualTo("bf496b76");
    }

    @Test
    void aSecretCannotBeSerializedIntoAJob() {
        assertThat(java.io.Serializable.class.isAssignableFrom(Secret.class)).isFalse();
    }

    @Test
    void emptyKeyIsRefusedNamingItsSource() {
        assertThatThrownBy(() -> Secret.of("   ", "file /run/secrets/adestra"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file /run/secrets/adestra")
                .hasMessageContaining("empty");
    }
}

package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;

/** What a refused key at the start-up check does to the job, per kind of key and sink. */
class PreflightTest {
    private static final RetryPolicy STREAM = RetryPolicy.builder().untilSuccess().build();
    private static final RetryPolicy NIGHTLY = RetryPolicy.builder().build();

    private static void refuse(SecretRef ref, RetryPolicy retries) {
        Preflight.atStart("Adestra", () -> {
            throw Preflight.keyRefused(ref, retries, "Adestra refused the API key (401)");
        });
    }

    @Test
    void aStreamingSinkWhoseKeyFileIsRefusedFailsSoThatARestartReadsTheFileAgain() {
        assertThatThrownBy(() -> refuse(SecretRef.file("/opt/mirror/secrets/adestra-api-key"), STREAM))
                .isNotInstanceOf(SuppressRestartsException.class)
                .hasMessageContaining("refused the API key").hasMessageContaining("read again when the job restarts");
    }

    @Test
    void aBoundedRunStopsAtOnceAndAnEnvironmentKeyAlways() {
        for (var c : new Object[][] {{SecretRef.file("/k"), NIGHTLY}, {SecretRef.env("ADESTRA_API_KEY"), STREAM}}) {
            assertThatThrownBy(() -> refuse((SecretRef) c[0], (RetryPolicy) c[1]))
                    .isInstanceOf(SuppressRestartsException.class)
                    .satisfies(e -> assertThat(e.getCause()).hasMessage("Adestra refused the API key (401)"));
        }
    }
}

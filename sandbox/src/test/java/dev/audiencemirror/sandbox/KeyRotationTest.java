package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys replaced while the sandbox runs, as an admin issues a new key and revokes the old one. */
class KeyRotationTest {

    /** An import id the published contract accepts (a UUID). */
    static final String IMPORT = "7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d";

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).imports(IMPORT).build();

    private static final String BATCH = "{\"operations\":[{\"operation\":\"Create\",\"data\":{\"code\":\"s1\",\"name\":\"S\"}}]}";

    @Test
    void aNewKeyWorksAlongsideTheOldOneUntilTheOldOneIsRevoked() {
        ApiCalls calls = new ApiCalls(sandbox);
        String old = sandbox.adestraKey();

        sandbox.client().acceptKeys(List.of(old, "adestra-key-2"), null);
        assertThat(calls.adestra("POST", 1, 678, "TOKEN " + old).statusCode()).isEqualTo(204);
        assertThat(calls.adestra("POST", 2, 678, "TOKEN adestra-key-2").statusCode()).isEqualTo(204);

        sandbox.client().acceptKeys(List.of("adestra-key-2"), null);
        assertThat(calls.adestra("POST", 3, 678, "TOKEN " + old).statusCode()).as("revoked").isEqualTo(401);
        assertThat(calls.adestra("POST", 4, 678, "TOKEN adestra-key-2").statusCode()).isEqualTo(204);
        assertThat(sandbox.adestraKey()).isEqualTo("adestra-key-2");
        assertThat(sandbox.client().listContacts(678)).containsExactly(1L, 2L, 4L);
    }

    @Test
    void aRotatedTaxonomyKeyKeepsTheReadOnlyKeyReadOnly() {
        ApiCalls calls = new ApiCalls(sandbox);
        String old = sandbox.permutiveKey();

        sandbox.client().acceptKeys(null, List.of("permutive-key-2"));

        assertThat(calls.patch(IMPORT, BATCH, old).statusCode()).as("revoked").isEqualTo(401);
        assertThat(calls.patch(IMPORT, BATCH, sandbox.server().permutiveReadOnlyKey()).statusCode()).isEqualTo(403);
        assertThat(calls.patch(IMPORT, BATCH, "permutive-key-2").statusCode()).isEqualTo(200);
        assertThat(sandbox.permutiveKey()).isEqualTo("permutive-key-2");
        assertThat(sandbox.client().importSegments(IMPORT)).containsOnlyKeys("s1");
    }

    @Test
    void aResetGoesBackToTheConfiguredKeysAndNoKeyListMayBeEmpty() {
        sandbox.server().acceptAdestraKeys("adestra-key-3");
        sandbox.server().acceptPermutiveKeys("permutive-key-3");
        sandbox.reset();

        assertThat(sandbox.adestraKey()).isEqualTo(SandboxServer.DEFAULT_ADESTRA_KEY);
        assertThat(sandbox.permutiveKey()).isEqualTo(SandboxServer.DEFAULT_PERMUTIVE_KEY);
        assertThat(new ApiCalls(sandbox).adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        assertThatThrownBy(() -> sandbox.client().acceptKeys(List.of(), null))
                .hasMessageContaining("400").hasMessageContaining("at least one Adestra key");
        assertThatThrownBy(() -> sandbox.client().acceptKeys(null, List.of(SandboxServer.DEFAULT_PERMUTIVE_READONLY_KEY)))
                .hasMessageContaining("must differ from the read-only key");
    }
}

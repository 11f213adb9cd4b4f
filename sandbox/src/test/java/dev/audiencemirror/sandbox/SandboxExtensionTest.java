package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.fault.FaultConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxExtensionTest {

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678).imports("imp")
            .adestraKey("k-adestra").permutiveKey("k-perm").permutiveReadOnlyKey("k-ro").build();

    static String firstBaseUrl;

    @Test
    @Order(1)
    void startsOnALoopbackPortWithTheConfiguredKeys() {
        firstBaseUrl = sandbox.baseUrl();
        assertThat(sandbox.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(sandbox.adestraKey()).isEqualTo("k-adestra");
        assertThat(sandbox.permutiveKey()).isEqualTo("k-perm");
        assertThat(sandbox.permutiveReadOnlyKey()).isEqualTo("k-ro");
        assertThat(new ApiCalls(sandbox).adestra("POST", 1, 678).statusCode()).isEqualTo(204);
        sandbox.setFaults(FaultConfig.builder().rate500(1).build());
    }

    @Test
    @Order(2)
    void theNextTestSeesAResetSandboxOnTheSameServer() {
        assertThat(sandbox.baseUrl()).isEqualTo(firstBaseUrl);
        assertThat(sandbox.client().listContacts(678)).isEmpty();
        assertThat(sandbox.client().faults()).isEqualTo(FaultConfig.NONE);
        assertThat(sandbox.client().log(0)).isEmpty();
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterServerKeepsRunning() {
            assertThat(sandbox.baseUrl()).isEqualTo(firstBaseUrl == null ? sandbox.baseUrl() : firstBaseUrl);
            assertThat(sandbox.client().healthy()).isTrue();
        }
    }
}

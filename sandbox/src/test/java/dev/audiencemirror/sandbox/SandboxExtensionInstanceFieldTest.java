package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

class SandboxExtensionInstanceFieldTest {

    static final Set<String> urls = new HashSet<>();

    @RegisterExtension
    SandboxExtension own = SandboxExtension.builder().lists(1).build();

    @RepeatedTest(2)
    void anInstanceFieldGivesEachTestItsOwnServer() {
        assertThat(own.client().lists()).containsExactly(1L);
        assertThat(new ApiCalls(own).adestra("POST", 5, 1).statusCode()).isEqualTo(204);
        assertThat(own.client().listContacts(1)).containsExactly(5L);
        assertThat(urls.add(own.baseUrl() + "#" + System.identityHashCode(own.server()))).isTrue();
    }
}

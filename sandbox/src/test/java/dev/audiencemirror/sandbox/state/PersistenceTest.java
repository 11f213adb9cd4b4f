package dev.audiencemirror.sandbox.state;

import static dev.audiencemirror.sandbox.ApiCalls.create;
import static dev.audiencemirror.sandbox.ApiCalls.ops;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.SandboxServer;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {

    /** An import id the published contract accepts (a UUID). */
    static final String IMPORT = "7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d";

    @TempDir
    Path dir;

    private SandboxServer start(Path file) {
        return SandboxServer.builder().lists(678).imports(IMPORT).stateFile(file).build().start();
    }

    @Test
    void stateSurvivesARestart() {
        Path file = dir.resolve("state/sandbox.json");
        try (SandboxServer s = start(file)) {
            ApiCalls api = new ApiCalls(s);
            api.adestra("POST", 1, 678);
            api.adestra("POST", 2, 678);
            s.client().createList(700);
            api.adestra("POST", 3, 700);
            api.patch(IMPORT, ops(create("a", "A")));
            s.client().createImport("imp-2");
        }
        assertThat(file).exists();
        assertThat(file.resolveSibling("sandbox.json.tmp")).doesNotExist();

        try (SandboxServer s = start(file)) {
            assertThat(s.client().listContacts(678)).containsExactly(1L, 2L);
            assertThat(s.client().listContacts(700)).containsExactly(3L);
            assertThat(s.client().importSegments(IMPORT)).containsOnlyKeys("a");
            assertThat(s.client().imports()).containsExactly(IMPORT, "imp-2");
            // The next run carries on from the saved state.
            new ApiCalls(s).adestra("DELETE", 1, 678);
        }
        try (SandboxServer s = start(file)) {
            assertThat(s.client().listContacts(678)).containsExactly(2L);
        }
    }

    @Test
    void isWrittenShortlyAfterAChangeWithoutAClose() throws Exception {
        Path file = dir.resolve("live.json");
        try (SandboxServer s = SandboxServer.builder().lists(678).stateFile(file).stateFlushMs(50).build().start()) {
            new ApiCalls(s).adestra("POST", 42, 678);
            long deadline = System.currentTimeMillis() + 5000;
            while (!(Files.exists(file) && Files.readString(file).contains("42"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(file)).contains("42");
            s.client().putList(678, List.of(7L, 8L));
            s.client().save();
            assertThat(Files.readString(file)).contains("7").doesNotContain("42");
        }
    }

    @Test
    void resetEmptiesTheSavedStateToo() {
        Path file = dir.resolve("reset.json");
        try (SandboxServer s = start(file)) {
            new ApiCalls(s).adestra("POST", 1, 678);
            s.client().putImport(IMPORT, List.of(Segment.of("x", "X")));
            s.reset();
        }
        try (SandboxServer s = start(file)) {
            assertThat(s.client().listContacts(678)).isEmpty();
            assertThat(s.client().importSegments(IMPORT)).isEmpty();
        }
    }

    @Test
    void anUnreadableStateFileStopsTheStartWithItsPath() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{ not json");
        assertThatThrownBy(() -> start(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken.json");
    }
}

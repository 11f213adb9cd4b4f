package dev.audiencemirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.nightly.NightlyScenario;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads when a push cannot start: one line naming the cause they can fix (the key
 * by its source only, the list, the import, the endpoint), never the key itself, no stack trace.
 */
class FailureMessagesITCase {
    private static final String IMPORT = "838d1ddf-cb02-5de7-ba00-e162a2e89bd6";

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports(IMPORT).build();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void inputs() throws Exception {
        NightlyScenario scenario = new NightlyScenario(60, Map.of("c1", 678L, "c2", 679L, "c3", 680L));
        scenario.writeIdentities(dir.resolve("identities.jsonl"));
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), scenario.memberships(3, 0.5));
        Files.writeString(dir.resolve("segments.jsonl"), "{\"code\":\"s1\",\"name\":\"One\"}\n");
        Files.writeString(dir.resolve("adestra-key"), SANDBOX.adestraKey());
        Files.writeString(dir.resolve("permutive-key"), SANDBOX.permutiveKey());
    }

    private int nightly(String adestraUrl, String lists, String importId) throws Exception {
        Path config = TestConfig.of(SANDBOX, dir)
                .keyFiles(dir.resolve("adestra-key"), dir.resolve("permutive-key"))
                .activations("c1: " + lists + ", c2: 679, c3: 680")
                .adestra("base-url: " + adestraUrl, "max-attempts: 2", "max-retry-time: 1s")
                .taxonomy("import-id: " + importId)
                .nightlyFiles()
                .write("mirror.yaml");
        err.reset();
        return new MirrorCli().run(new String[] {"nightly", "--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneActionableLine(String expected) {
        assertThat(stderr()).contains("mirror nightly: failed: ").contains(expected)
                .doesNotContain(SANDBOX.adestraKey()).doesNotContain(SANDBOX.permutiveKey())
                .doesNotContain("Job execution failed").doesNotContain("\tat ");
    }

    @Test
    void aWrongAdestraKey() throws Exception {
        Files.writeString(dir.resolve("adestra-key"), "not-the-key-123");
        assertThat(nightly(SANDBOX.baseUrl(), "678", IMPORT)).isEqualTo(1);
        assertOneActionableLine("Adestra rejected the API key (HTTP 401)");
        assertThat(stderr()).contains(dir.resolve("adestra-key").toString()).doesNotContain("not-the-key-123")
                .contains("not on the key's IP allow-list").contains("no access to the workspace that holds the lists");
    }

    @Test
    void anAdestraListThatDoesNotExist() throws Exception {
        assertThat(nightly(SANDBOX.baseUrl(), "999", IMPORT)).isEqualTo(1);
        assertOneActionableLine("Adestra list 999 does not exist");
    }

    @Test
    void anUnreachableAdestraBaseUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(nightly("http://127.0.0.1:" + closed, "678", IMPORT)).isEqualTo(1);
        assertOneActionableLine("Adestra could not be reached for its start-up check (");
        assertThat(stderr()).contains("ConnectException");
    }

    @Test
    void anUnknownPermutiveImport() throws Exception {
        String missing = "0b5f2c1e-7a4d-4e0b-9f5e-3c2d1a0b9e8f";
        assertThat(nightly(SANDBOX.baseUrl(), "678", missing)).isEqualTo(1);
        assertOneActionableLine("Permutive import " + missing + " not found (HTTP 404)");
    }

    @Test
    void aPermutiveImportIdThatIsNoUuid() throws Exception {
        assertThat(nightly(SANDBOX.baseUrl(), "678", "no-such-import")).isEqualTo(1);
        assertOneActionableLine("Permutive refused import ID no-such-import (HTTP 400: Invalid value for: path parameter"
                + " importId): import IDs are UUIDs");
    }

    @Test
    void aReadOnlyPermutiveKey() throws Exception {
        Files.writeString(dir.resolve("permutive-key"), SANDBOX.permutiveReadOnlyKey());
        assertThat(nightly(SANDBOX.baseUrl(), "678", IMPORT)).isEqualTo(1);
        assertOneActionableLine("lacks write access");
        assertThat(stderr()).doesNotContain(SANDBOX.permutiveReadOnlyKey());
    }
}

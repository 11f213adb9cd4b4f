package dev.audiencemirror.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar, as built in {@code package}, holds the in-process sandbox that
 * {@code base-url: embedded} and {@code bin/mirror sandbox} start, and nothing only tests use: the
 * sandbox's JUnit extension lives in the sandbox's test jar, and test libraries stay test scope.
 */
class JobJarContentsIT {

    private static List<String> entries;

    @BeforeAll
    static void readJar() throws IOException {
        Path jar = Path.of(System.getProperty("cluster.jobJar", "target/audience-mirror-jobs-0.1.0-SNAPSHOT.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsTheEmbeddedSandbox() {
        assertThat(entries).contains(
                "dev/audiencemirror/sandbox/SandboxServer.class",
                "dev/audiencemirror/sandbox/SandboxMain.class",
                "dev/audiencemirror/cli/MirrorCli.class");
    }

    @Test
    void holdsNoTestHelperNorTestLibrary() {
        List<String> testOnly = List.of("dev/audiencemirror/sandbox/SandboxExtension",
                "org/junit/", "org/opentest4j/", "org/apiguardian/", "org/assertj/", "org/duckdb/");
        assertThat(entries)
                .filteredOn(e -> testOnly.stream().anyMatch(e::startsWith))
                .as("test-only entries in the job jar")
                .isEmpty();
    }
}

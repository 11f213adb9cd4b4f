package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {

    @Test
    void resolvesFromTheEnvironmentOrAFileAndSaysWhereNeverWhat(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "file-s3cret\n");

        Secret fromEnv = SecretRef.env("ADESTRA_API_KEY").resolve(Map.of("ADESTRA_API_KEY", "env-s3cret"));
        Secret fromFile = SecretRef.file(file.toString()).resolve();

        assertThat(fromEnv.reveal()).isEqualTo("env-s3cret");
        assertThat(fromEnv.source()).isEqualTo("env ADESTRA_API_KEY");
        assertThat(fromFile.reveal()).isEqualTo("file-s3cret");
        assertThat(fromFile.source()).isEqualTo("file " + file);
    }

    @Test
    void whatCannotBeResolvedIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SecretRef.env("NOPE").resolve(Map.of()))
                .hasMessage("environment variable NOPE is not set or empty");
        assertThatThrownBy(() -> SecretRef.file(dir.resolve("missing").toString()).resolve())
                .hasMessage("secret file " + dir.resolve("missing") + " cannot be read (NoSuchFileException)");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> SecretRef.file(empty.toString()).resolve()).hasMessage("secret file " + empty + " is empty");
    }

    @Test
    void serializedItHoldsTheReferenceOnly(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "file-s3cret");
        SecretRef ref = SecretRef.file(file.toString());
        ref.resolve();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ref);
        }

        String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(serialized).contains(file.toString()).doesNotContain("file-s3cret");
    }

    @Test
    void aValueThatIsNotASecretIsDescribedByItsLabel() {
        SecretRef ref = SecretRef.notSecret("sandbox-adestra-key", "the embedded sandbox's default key");

        assertThat(ref).hasToString("the embedded sandbox's default key");
        assertThat(ref.resolve().reveal()).isEqualTo("sandbox-adestra-key");
        assertThat(ref.canChange()).isFalse();
    }
}

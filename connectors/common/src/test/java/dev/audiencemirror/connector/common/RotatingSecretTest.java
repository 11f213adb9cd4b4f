package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.connector.common.testing.MountedSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingSecretTest {
    private final AtomicLong nanos = new AtomicLong();

    private RotatingSecret open(SecretRef ref) {
        return RotatingSecret.open(ref, "Adestra API key", Duration.ofSeconds(10), nanos::get);
    }

    @Test
    void aKeyFileUpdatedAsKubernetesDoesIsReadAgainAfterTheCheckInterval(@TempDir Path dir) {
        MountedSecret mounted = MountedSecret.create(dir, "adestra-api-key", "key-1");
        RotatingSecret key = open(mounted.ref());
        assertThat(key.current().reveal()).isEqualTo("key-1");

        mounted.update("key-2");
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(key.current().reveal()).as("not checked again yet").isEqualTo("key-1");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(key.current().reveal()).isEqualTo("key-2");
        assertThat(key.changes()).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(key.current().reveal()).isEqualTo("key-2");
        assertThat(key.changes()).as("read again, unchanged").isEqualTo(1);
    }

    @Test
    void aRefusalReadsTheFileAgainAtOnce(@TempDir Path dir) {
        MountedSecret mounted = MountedSecret.create(dir, "adestra-api-key", "key-1");
        RotatingSecret key = open(mounted.ref());

        mounted.update("key-2");

        assertThat(key.reloadAfterRejection().reveal()).isEqualTo("key-2");
        assertThat(key.changes()).isEqualTo(1);
        assertThat(key.current().fingerprintHex()).isEqualTo(Secret.of("key-2", "t").fingerprintHex());
    }

    @Test
    void aFileThatCannotBeReadAtACheckLeavesTheLastKeyInUse(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "key-1");
        RotatingSecret key = open(SecretRef.file(file.toString()));

        Files.delete(file);
        assertThat(key.reloadAfterRejection().reveal()).isEqualTo("key-1");
        Files.writeString(file, "  \n");
        assertThat(key.reloadAfterRejection().reveal()).isEqualTo("key-1");
        assertThat(key.changes()).isZero();
    }

    @Test
    void aKeyThatCannotBeReadAtOpenNamesWhereAndSaysToMountItOnTheTaskManagers(@TempDir Path dir) {
        assertThatThrownBy(() -> open(SecretRef.file(dir.resolve("adestra-api-key").toString())))
                .hasMessageStartingWith("the Adestra API key cannot be read on this TaskManager: secret file "
                        + dir.resolve("adestra-api-key") + " cannot be read (NoSuchFileException)")
                .hasMessageContaining("mount the Secret");
    }
}

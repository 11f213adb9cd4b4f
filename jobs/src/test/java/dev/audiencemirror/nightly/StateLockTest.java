package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per state directory: the local OS lock, and the heartbeat file used on shared storage. */
class StateLockTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void aLocalLockIsHeldUntilClosedAndNamesItsHolder() throws Exception {
        try (StateLock first = StateLock.acquire(dir.toString(), "run-a", Clock.systemUTC())) {
            assertThatThrownBy(() -> StateLock.acquire(dir.toString(), "run-b", Clock.systemUTC()))
                    .isInstanceOf(StateLock.HeldException.class)
                    .hasMessageContaining("another nightly run is using " + dir)
                    .hasMessageContaining("run run-a, pid " + ProcessHandle.current().pid());
        }
        try (StateLock again = StateLock.acquire(dir.toString(), "run-b", Clock.systemUTC())) {
            assertThat(Files.readString(dir.resolve("LOCK"))).contains("run run-b");
        }
    }

    @Test
    void onSharedStorageAFreshHeartbeatBlocksAndAStaleOneIsTakenOver() throws Exception {
        Path lock = new Path(dir.resolve("LOCK").toUri());
        FileSystem fs = lock.getFileSystem();
        Instant t0 = Instant.parse("2026-12-01T02:00:00Z");
        try (StateLock held = StateLock.shared(fs, lock, "run a", dir.toString(), Clock.fixed(t0, ZoneOffset.UTC))) {
            assertThatThrownBy(() -> StateLock.shared(fs, lock, "run b", dir.toString(),
                    Clock.fixed(t0.plus(StateLock.STALE_AFTER).minusSeconds(1), ZoneOffset.UTC)))
                    .isInstanceOf(StateLock.HeldException.class).hasMessageContaining("run a");
            // Five minutes without a heartbeat: the run that wrote it is taken for dead.
            try (StateLock takeover = StateLock.shared(fs, lock, "run c", dir.toString(),
                    Clock.fixed(t0.plus(StateLock.STALE_AFTER).plusSeconds(1), ZoneOffset.UTC))) {
                assertThat(Files.readString(dir.resolve("LOCK"))).contains("run c");
            }
        }
        assertThat(dir.resolve("LOCK")).as("released: the file is gone").doesNotExist();
    }
}

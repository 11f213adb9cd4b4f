package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.command.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start beside a job that still writes checkpoints into the same directory is refused; one after
 * a job that stopped (or was killed) is not, and one whose newest checkpoint is old does not wait.
 */
class CheckpointWritersTest {
    private static final String JOB = "0123456789abcdef0123456789abcdef";
    private static final String OTHER = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void aCheckpointStartedWhileWatchingMeansAnotherJobRunsThere() throws Exception {
        Files.createDirectories(dir.resolve(JOB).resolve("chk-41"));
        Thread writer = startsLater(dir.resolve(JOB).resolve("chk-42"), 500);
        List<String> progress = new ArrayList<>();
        assertThatThrownBy(() -> CheckpointWriters.refuseIfActive(dir.toUri().toString(), Duration.ofSeconds(2),
                Optional.empty(), progress::add))
                .isInstanceOfSatisfying(StartRefused.class, r -> assertThat(r.exitCode()).isEqualTo(Command.LOCKED))
                .hasMessageContaining("another job is running on this state: it started checkpoint chk-42 of job " + JOB)
                .hasMessageContaining("Stop the other job first");
        writer.join();
        assertThat(progress).singleElement().asString().contains("watching 2 s for another job writing there");
    }

    @Test
    void noNewCheckpointWhileWatchingIsAStoppedJobAndTheOwnFixedJobIsNoOther() throws Exception {
        Files.createDirectories(dir.resolve(JOB).resolve("chk-41"));
        CheckpointWriters.refuseIfActive(dir.toUri().toString(), Duration.ofSeconds(1), Optional.empty(), l -> {});

        Thread writer = startsLater(dir.resolve(JOB).resolve("chk-42"), 300);
        CheckpointWriters.refuseIfActive(dir.toUri().toString(), Duration.ofSeconds(1), Optional.of(JOB), l -> {});
        writer.join();
        // Another job's folder appearing is another job, whatever its checkpoint number.
        Thread other = startsLater(dir.resolve(OTHER).resolve("chk-1"), 300);
        assertThatThrownBy(() -> CheckpointWriters.refuseIfActive(dir.toUri().toString(), Duration.ofSeconds(1),
                Optional.of(JOB), l -> {})).isInstanceOf(StartRefused.class).hasMessageContaining("chk-1 of job " + OTHER);
        other.join();
    }

    /** A job starting checkpoint {@code chk} after {@code millis}, as a running job would. */
    private static Thread startsLater(Path chk, long millis) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
                Files.createDirectories(chk);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void anOldNewestCheckpointNeedsNoWatch() throws Exception {
        Path chk = Files.createDirectories(dir.resolve(JOB).resolve("chk-41"));
        Files.setLastModifiedTime(chk, FileTime.from(Instant.now().minusSeconds(600)));
        List<String> progress = new ArrayList<>();
        long t0 = System.nanoTime();
        CheckpointWriters.refuseIfActive(dir.toUri().toString(), Duration.ofSeconds(5), Optional.empty(), progress::add);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(progress).isEmpty();
        CheckpointWriters.refuseIfActive(dir.resolve("none").toUri().toString(), Duration.ofSeconds(5), Optional.empty(),
                progress::add);
        assertThat(progress).isEmpty();
    }

    @Test
    void aDirectoryHoldingAnotherInputsCheckpointsIsRefusedAnEmptyOneIsClaimed() throws Exception {
        String d = dir.toUri().toString();
        CheckpointDirOwner.claim(d, false, CheckpointDirOwner.of("mirror-a"));
        assertThat(Files.readString(dir.resolve(CheckpointDirOwner.FILE))).isEqualTo("kafka group mirror-a\n");
        CheckpointDirOwner.claim(d, true, CheckpointDirOwner.of("mirror-a"));
        assertThatThrownBy(() -> CheckpointDirOwner.claim(d, true, CheckpointDirOwner.of(null)))
                .isInstanceOfSatisfying(StartRefused.class, r -> assertThat(r.exitCode()).isEqualTo(Command.REFUSED))
                .hasMessageContaining("hold the state of a job that read kafka group mirror-a; this config reads watched folders")
                .hasMessageContaining("its own flink: execution.checkpointing.dir");
        assertThatThrownBy(() -> CheckpointDirOwner.claim(d, true, CheckpointDirOwner.of("mirror-b")))
                .isInstanceOf(StartRefused.class).hasMessageContaining("this config reads kafka group mirror-b");
        CheckpointDirOwner.claim(d, false, CheckpointDirOwner.of("mirror-b"));
        assertThat(Files.readString(dir.resolve(CheckpointDirOwner.FILE))).isEqualTo("kafka group mirror-b\n");
    }
}

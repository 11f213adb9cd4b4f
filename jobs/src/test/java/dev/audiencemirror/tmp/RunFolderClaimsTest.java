package dev.audiencemirror.tmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run removes the temp folders of runs that died without their shutdown (SIGKILL), and only those. */
class RunFolderClaimsTest {
    private static final String PREFIX = "audience-mirror-run-";

    @TempDir
    Path tmp;

    private Path folder(String name, boolean lockFile, Duration age) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve(name));
        Files.writeString(folder.resolve("flink-rpc.jar"), "rpc");
        FileTime then = FileTime.from(Instant.now().minus(age));
        if (lockFile) {
            Files.writeString(folder.resolve(RunFolderClaims.LOCK_FILE), "");
            Files.setLastModifiedTime(folder.resolve(RunFolderClaims.LOCK_FILE), then);
        }
        Files.setLastModifiedTime(folder, then);
        return folder;
    }

    @Test
    void removesTheFoldersNoLiveRunClaims() throws Exception {
        Path live = Files.createDirectories(tmp.resolve(PREFIX + "live"));
        Path killed = folder(PREFIX + "killed", true, Duration.ofMinutes(1));
        Path starting = folder(PREFIX + "starting", true, Duration.ZERO);
        Path oldUnclaimed = folder(PREFIX + "old", false, Duration.ofHours(1));
        Path newUnclaimed = folder(PREFIX + "new", false, Duration.ZERO);
        Path other = folder("someone-elses", true, Duration.ofHours(1));
        try (FileChannel claim = RunFolderClaims.claim(live)) {
            Files.setLastModifiedTime(live.resolve(RunFolderClaims.LOCK_FILE), FileTime.from(Instant.now().minusSeconds(60)));
            RunFolderClaims.removeUnclaimed(tmp, PREFIX);
            assertThat(live).exists();
        }
        assertThat(killed).doesNotExist();
        assertThat(oldUnclaimed).doesNotExist();
        // Its run may be about to take the lock.
        assertThat(starting).exists();
        assertThat(newUnclaimed).exists();
        assertThat(other).exists();
    }
}

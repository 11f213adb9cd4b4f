package dev.audiencemirror.tmp;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local run's temp folders, removed when the JVM ends: on success, on failure, and on SIGINT
 * (Ctrl-C) or SIGTERM (not on SIGKILL, which runs no code). Flink's local mini-cluster unpacks its
 * RPC jar (21 MB) and creates its working folders in the temp directory and does not always remove
 * them. So a JVM of its own ({@code bin/mirror}, not one Flink runs the main in) points
 * {@code java.io.tmpdir} at a folder of this run, which Flink's {@code io.tmp.dirs} follows, and
 * the Flink settings of each job name it (or, when {@code flink: io.tmp.dirs} names folders, a
 * folder of this run inside each of them). Each folder is claimed ({@link RunFolderClaims}) while the
 * JVM lives, and a run first removes the unclaimed folders of runs killed with SIGKILL.
 */
public final class RunTempDir {
    private static final String IO_TMP_DIRS = "io.tmp.dirs";

    private static final String PREFIX = "audience-mirror-run-";

    private static volatile String runName;
    private static volatile Path runDir;
    private static final List<Path> created = new CopyOnWriteArrayList<>();
    /** Open while the JVM lives: the locks that say the folders are in use. */
    private static final List<FileChannel> claims = new CopyOnWriteArrayList<>();

    private RunTempDir() {}

    /** Call first thing in main, before anything reads {@code java.io.tmpdir}. */
    public static synchronized void install() throws IOException {
        if (runDir != null) {
            return;
        }
        runName = PREFIX + UUID.randomUUID().toString().substring(0, 8);
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        RunFolderClaims.removeUnclaimed(parent, PREFIX);
        runDir = Files.createDirectories(parent.resolve(runName));
        claim(runDir);
        System.setProperty("java.io.tmpdir", runDir.toString());
        Runtime.getRuntime().addShutdownHook(new Thread(RunTempDir::removeAll, "remove the run's temp folders"));
    }

    /**
     * Points Flink's temp folders at this run's (no change unless {@link #install} ran): a folder of
     * the run in each of {@code io.tmp.dirs} when the settings name some, the run's own otherwise.
     */
    public static void applyTo(Map<String, String> flinkSettings) {
        Path dir = runDir;
        if (dir == null) {
            return;
        }
        String configured = flinkSettings.get(IO_TMP_DIRS);
        if (configured == null || configured.isBlank()) {
            flinkSettings.put(IO_TMP_DIRS, dir.toString());
            return;
        }
        List<String> dirs = new ArrayList<>();
        // Flink splits io.tmp.dirs at commas and at the path separator.
        for (String d : configured.split(",|" + File.pathSeparator)) {
            if (!d.isBlank()) {
                Path mine = Path.of(d.strip()).resolve(runName);
                if (!created.contains(mine)) {
                    RunFolderClaims.removeUnclaimed(mine.getParent(), PREFIX);
                    claim(createDirectories(mine));
                }
                dirs.add(mine.toString());
            }
        }
        flinkSettings.put(IO_TMP_DIRS, String.join(",", dirs));
    }

    private static void claim(Path dir) {
        try {
            claims.add(RunFolderClaims.claim(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim the temp folder " + dir, e);
        }
        created.add(dir);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("io.tmp.dirs: cannot create " + dir, e);
        }
    }

    private static void removeAll() {
        // Flink's own shutdown hooks may still be closing files in there: try a few times.
        for (int attempt = 0; attempt < 20; attempt++) {
            boolean gone = true;
            for (Path dir : created) {
                gone &= RunFolderClaims.delete(dir);
            }
            if (gone) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}

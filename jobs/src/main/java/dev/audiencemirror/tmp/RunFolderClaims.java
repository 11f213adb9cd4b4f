package dev.audiencemirror.tmp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * Which run temp folders are still in use: a run holds a lock on a file in each of its folders
 * for as long as its JVM lives, and the operating system releases it however the JVM ends. A
 * JVM killed with SIGKILL runs no shutdown hook, so its folders stay; the next run removes every
 * folder of the same kind whose lock nobody holds.
 */
final class RunFolderClaims {
    static final String LOCK_FILE = ".in-use";
    /** A folder just created, whose run has not taken its lock yet, is left alone for this long. */
    private static final Duration GRACE = Duration.ofSeconds(10);
    /** A folder without a lock file (made before there were any) is removed only when this old. */
    private static final Duration UNCLAIMED_AGE = Duration.ofMinutes(10);

    private RunFolderClaims() {}

    /** Locks {@code folder}'s lock file; the channel must stay open while the run lives. */
    static FileChannel claim(Path folder) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            channel.close();
            throw new IOException("temp folder " + folder + " is in use by another process");
        }
        return channel;
    }

    /** Removes the folders in {@code parent} named {@code prefix*} that no live run holds. */
    static void removeUnclaimed(Path parent, String prefix) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path folder : folders) {
                try {
                    if (Files.isDirectory(folder)) {
                        removeIfUnclaimed(folder);
                    }
                } catch (IOException | RuntimeException e) {
                    // Another user's, or gone meanwhile: left alone.
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a folder left over is only disk space, never a reason to stop a run.
        }
    }

    private static void removeIfUnclaimed(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            if (olderThan(folder, UNCLAIMED_AGE)) {
                delete(folder);
            }
            return;
        }
        if (!olderThan(lockFile, GRACE)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                delete(folder);
            }
        } catch (OverlappingFileLockException heldByThisJvm) {
            // in use
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        }
    }

    private static boolean olderThan(Path path, Duration age) throws IOException {
        return Files.getLastModifiedTime(path).toInstant().isBefore(Instant.now().minus(age));
    }

    /** Deletes {@code dir} and what it holds; whether it is gone. */
    static boolean delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false;
        }
        return !Files.exists(dir);
    }
}

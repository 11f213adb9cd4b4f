package dev.audiencemirror.connector.common.testing;

import dev.audiencemirror.connector.common.SecretRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key file laid out as the kubelet mounts a Secret volume, and updated the way it updates one:
 * {@code dir/<name>} is a symlink to {@code ..data/<name>}, {@code ..data} a symlink to a
 * timestamped folder; an update writes a new folder, swaps {@code ..data} to it in one rename and
 * removes the old folder. So the file's path never changes, and neither does the link it is.
 * One Secret with one key per folder: give each its own {@code dir}.
 */
public final class MountedSecret {
    private static final AtomicInteger GENERATION = new AtomicInteger();

    private final Path dir;
    private final String name;
    private Path current;

    private MountedSecret(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** Mounts {@code value} as {@code dir/name}. */
    public static MountedSecret create(Path dir, String name, String value) {
        MountedSecret s = new MountedSecret(dir, name);
        try {
            Files.createDirectories(dir);
            s.write(value);
            Files.createSymbolicLink(dir.resolve(name), Path.of("..data").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /** The path a config names: {@code dir/name}. */
    public Path file() {
        return dir.resolve(name);
    }

    public SecretRef ref() {
        return SecretRef.file(file().toString());
    }

    /** Replaces the value as the kubelet does: new folder, {@code ..data} swapped atomically, old folder removed. */
    public synchronized void update(String value) {
        try {
            write(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String value) throws IOException {
        Path previous = current;
        Path next = dir.resolve("..2026_01_01_00_00_00." + GENERATION.incrementAndGet());
        Files.createDirectory(next);
        // The kubelet writes the bytes as the Secret holds them: often with a trailing newline.
        Files.writeString(next.resolve(name), value + "\n");
        Path link = dir.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, next.getFileName());
        Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        current = next;
        if (previous != null) {
            Files.delete(previous.resolve(name));
            Files.delete(previous);
        }
    }
}

package dev.audiencemirror.sandbox.state;

import dev.audiencemirror.sandbox.http.Json;
import dev.audiencemirror.sandbox.taxonomy.TaxonomyImports;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The destination state on disk, as JSON. A write goes to a temporary file in the same directory,
 * is forced to disk, then renamed over the old file, so a crash leaves either the old or the new state.
 */
public final class StateFile {

    public static final int VERSION = 1;

    /** Everything that survives a restart: list contents and import segments (not stats, log or faults). */
    public record Snapshot(int version, Map<Long, List<Long>> adestraLists,
                           Map<String, TaxonomyImports.ImportState> taxonomyImports) {
        public Snapshot {
            adestraLists = adestraLists == null ? Map.of() : adestraLists;
            taxonomyImports = taxonomyImports == null ? Map.of() : taxonomyImports;
        }
    }

    private final Path path;

    public StateFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** The saved state, or null when there is no file yet. */
    public Snapshot load() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            Snapshot s = Json.MAPPER.readValue(path.toFile(), Snapshot.class);
            if (s.version() != VERSION) {
                throw new IOException("unsupported state file version " + s.version() + ", expected " + VERSION);
            }
            return s;
        } catch (IOException e) {
            throw new IOException("cannot read sandbox state file " + path + ": " + e.getMessage(), e);
        }
    }

    public void save(Snapshot snapshot) throws IOException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

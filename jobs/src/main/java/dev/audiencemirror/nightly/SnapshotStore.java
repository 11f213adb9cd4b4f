package dev.audiencemirror.nightly;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What the destinations held after the last successful run, kept under {@code nightly.state-dir}:
 *
 * <pre>
 * CURRENT                           the committed snapshot's id (one line)
 * LOCK                              held by the run in progress ({@link StateLock})
 * pushes/{run}.jsonl                write-ahead record of a push not yet covered by a commit ({@link PushJournal})
 * snapshots/{id}/pairs/…            "contact,list" lines: contacts on each list
 * snapshots/{id}/segments/…         {"code":…,"def":{…}} lines: the import's segments
 * snapshots/{id}/users/…            {"u":…,"c":…,"l":[…]}: each listed user's contact and lists, for holds
 * snapshots/{id}/uncertain/…        plan lines whose outcome is unknown after that run (refused, held)
 * snapshots/{id}/corrections.jsonl  the same, as versions before the journal wrote it (read, never written)
 * </pre>
 *
 * A run writes its snapshot under a new id and commits it by replacing {@code CURRENT} (write
 * then rename, atomic on a local or POSIX file system; a single small object on S3). A run that
 * dies before that leaves the previous snapshot in force and its push record in place, so the next
 * run knows which keys it may have changed. Uses Flink's file systems, so the state can live on
 * S3 or HDFS when the cluster has the plugin.
 */
final class SnapshotStore {
    private static final int KEEP = 3;
    static final String DEAD_LETTERS_FILE = "dead-letters.jsonl";

    private final Path root;

    SnapshotStore(String stateDir) {
        this.root = new Path(stateDir);
    }

    Path root() {
        return root;
    }

    PushJournal journal() {
        return new PushJournal(new Path(root, "pushes"));
    }

    Optional<String> current() throws IOException {
        Path current = new Path(root, "CURRENT");
        FileSystem fs = current.getFileSystem();
        if (!fs.exists(current)) {
            return Optional.empty();
        }
        try (var in = new BufferedReader(new InputStreamReader(fs.open(current), StandardCharsets.UTF_8))) {
            String id = in.readLine();
            return id == null || id.isBlank() ? Optional.empty() : Optional.of(id.strip());
        }
    }

    Path snapshotDir(String id) {
        return new Path(new Path(root, "snapshots"), id);
    }

    Path pairsDir(String id) {
        return new Path(snapshotDir(id), "pairs");
    }

    Path segmentsDir(String id) {
        return new Path(snapshotDir(id), "segments");
    }

    Path usersDir(String id) {
        return new Path(snapshotDir(id), "users");
    }

    Path handedOffDir(String id) {
        return new Path(snapshotDir(id), PlanOutputs.HANDED_OFF);
    }

    Path uncertainDir(String id) {
        return new Path(snapshotDir(id), "uncertain");
    }

    /** The files and folders of snapshot {@code id} that name keys of unknown state, as they exist. */
    List<Path> uncertainOf(String id) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : List.of(uncertainDir(id), new Path(snapshotDir(id), "corrections.jsonl"))) {
            if (p.getFileSystem().exists(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The segment codes snapshot {@code id} names (what the import held for the input, as that run left it). */
    Set<String> segmentCodes(String id) throws IOException {
        Set<String> codes = new java.util.TreeSet<>();
        Path dir = segmentsDir(id);
        FileSystem fs = dir.getFileSystem();
        if (!fs.exists(dir)) {
            return codes;
        }
        for (org.apache.flink.core.fs.FileStatus f : fs.listStatus(dir)) {
            if (f.isDir() || f.getPath().getName().startsWith(".") || f.getPath().getName().startsWith("_")) {
                continue;
            }
            try (var in = new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        codes.add(SegmentJson.parseBaselineLine(line)[0]);
                    }
                }
            }
        }
        return codes;
    }

    /** The snapshot's part {@code dir} if it exists, else null (a first run, or a part older versions did not write). */
    static Path ifExists(Path dir) throws IOException {
        return dir.getFileSystem().exists(dir) ? dir : null;
    }

    /**
     * Records the keys the push left uncertain (its dead letters), makes {@code id} the committed
     * snapshot, then drops the push records this run covered: every key they name was planned
     * again by this run against today's target.
     */
    void commit(String id, Collection<String> deadLetterPlanLines, List<Path> coveredPushRecords) throws IOException {
        Path file = new Path(uncertainDir(id), DEAD_LETTERS_FILE);
        FileSystem fs = file.getFileSystem();
        if (!deadLetterPlanLines.isEmpty()) {
            try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
                for (String line : deadLetterPlanLines) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        CrashTestPause.at(CrashTestPause.Step.AFTER_PUSH);
        Path tmp = new Path(root, "CURRENT.tmp");
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            out.write((id + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path current = new Path(root, "CURRENT");
        if (!fs.rename(tmp, current)) {
            // Some file systems do not rename over an existing file.
            fs.delete(current, false);
            if (!fs.rename(tmp, current)) {
                throw new IOException("could not commit snapshot " + id + ": rename of " + tmp + " failed");
            }
        }
        CrashTestPause.at(CrashTestPause.Step.AFTER_CURRENT);
        journal().clear(coveredPushRecords);
        CrashTestPause.at(CrashTestPause.Step.AFTER_RECORDS_DELETED);
        pruneOlderThan(id);
    }

    private void pruneOlderThan(String keepId) throws IOException {
        Path dir = new Path(root, "snapshots");
        FileSystem fs = dir.getFileSystem();
        FileStatus[] all = fs.listStatus(dir);
        if (all == null) {
            return;
        }
        List<FileStatus> sorted = new ArrayList<>(Arrays.asList(all));
        sorted.sort(Comparator.comparing((FileStatus s) -> s.getPath().getName()).reversed());
        int kept = 0;
        for (FileStatus s : sorted) {
            String name = s.getPath().getName();
            if (name.equals(keepId) || name.compareTo(keepId) > 0) {
                continue; // never touch the committed one, nor one a later run wrote
            }
            if (++kept >= KEEP) {
                fs.delete(s.getPath(), true);
            }
        }
    }
}

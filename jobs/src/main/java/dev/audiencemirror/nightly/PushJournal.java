package dev.audiencemirror.nightly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The write-ahead record of pushes: before a push sends its first operation, the run's whole plan
 * is written here as {@code {run}.jsonl}. A commit removes the records it covered; a push that
 * failed or was killed leaves its record, and every later run treats the keys in it as uncertain
 * (it sends their target state, whatever the snapshot says) until a commit covers them.
 *
 * <p>A record is written under a temporary name and renamed once complete, so a run killed while
 * writing it (before sending anything) leaves no half record; such a leftover is ignored.
 */
final class PushJournal {
    private static final String SUFFIX = ".jsonl";

    private final Path dir;

    PushJournal(Path dir) {
        this.dir = dir;
    }

    /** The records of pushes that no commit has covered yet, oldest first. */
    List<Path> unfinished() throws IOException {
        FileSystem fs = dir.getFileSystem();
        List<Path> out = new ArrayList<>();
        if (!fs.exists(dir)) {
            return out;
        }
        FileStatus[] files = fs.listStatus(dir);
        if (files != null) {
            for (FileStatus f : files) {
                if (!f.isDir() && f.getPath().getName().endsWith(SUFFIX)) {
                    out.add(f.getPath());
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Path::getName));
        return out;
    }

    /** Records {@code plan} (a local plan file) as run {@code runId}'s push, before anything is sent. */
    Path record(String runId, java.nio.file.Path plan) throws IOException {
        FileSystem fs = dir.getFileSystem();
        fs.mkdirs(dir);
        Path tmp = new Path(dir, "." + runId + SUFFIX + ".writing");
        try (InputStream in = Files.newInputStream(plan); OutputStream out = fs.create(tmp, FileSystem.WriteMode.OVERWRITE)) {
            in.transferTo(out);
        }
        Path done = new Path(dir, runId + SUFFIX);
        if (!fs.rename(tmp, done)) {
            throw new IOException("could not record the push: rename of " + tmp + " to " + done + " failed");
        }
        return done;
    }

    void clear(Collection<Path> records) throws IOException {
        for (Path p : records) {
            p.getFileSystem().delete(p, false);
        }
    }
}

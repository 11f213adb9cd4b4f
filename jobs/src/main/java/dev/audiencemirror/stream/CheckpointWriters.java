package dev.audiencemirror.stream;

import dev.audiencemirror.command.Command;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Whether a job is still writing checkpoints into a checkpoint directory: a running job starts one
 * every checkpoint interval ({@code <dir>/<job id>/chk-<n>}, created when it is triggered), so a
 * checkpoint folder that appears while we watch means another job of this directory, and so of
 * this consumer group, is running. Two would send every change twice and commit offsets over each
 * other; the second start is refused. The watch is read-only and needs no lease, so it holds for
 * every way of running the job (local, {@code flink run}, application mode); a job that is between
 * restarts triggers nothing and is not seen.
 */
final class CheckpointWriters {
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    /** Per job folder, the highest checkpoint number; and the newest change of any checkpoint folder. */
    record Snapshot(Map<String, Long> highest, long newestChange) {}

    private CheckpointWriters() {}

    /**
     * Watches {@code checkpointDir} for {@code window} when a checkpoint was started there lately
     * (within the window plus 30 s), and refuses ({@link StartRefused}, {@code Command.LOCKED}) when
     * a new one appears in a job folder other than {@code ownJobId} (the fixed job id of an
     * application cluster, whose own recovered job may be checkpointing already).
     */
    static void refuseIfActive(String checkpointDir, Duration window, Optional<String> ownJobId, Consumer<String> progress)
            throws IOException, InterruptedException {
        Snapshot before = take(checkpointDir);
        if (before.highest().isEmpty()
                || System.currentTimeMillis() - before.newestChange() > window.plusSeconds(30).toMillis()) {
            return;
        }
        progress.accept("start: a checkpoint was started under " + checkpointDir + " "
                + (System.currentTimeMillis() - before.newestChange()) / 1000 + " s ago; watching " + window.toSeconds()
                + " s for another job writing there");
        Thread.sleep(window.toMillis());
        Optional<String> other = newIn(before, take(checkpointDir), ownJobId);
        if (other.isPresent()) {
            throw new StartRefused(Command.LOCKED, "refused: another job is running on this state: it started "
                    + other.get() + " under " + checkpointDir + " in the last " + window.toSeconds() + " s. Two jobs on one"
                    + " checkpoint directory and consumer group would send every change twice and commit offsets"
                    + " over each other. Stop the other job first (its last checkpoint is then restored here).");
        }
    }

    static Snapshot take(String checkpointDir) throws IOException {
        Path dir = new Path(checkpointDir);
        FileSystem fs = dir.getFileSystem();
        Map<String, Long> highest = new HashMap<>();
        long newest = Long.MIN_VALUE;
        if (!fs.exists(dir)) {
            return new Snapshot(highest, newest);
        }
        for (FileStatus job : list(fs, dir)) {
            String name = job.getPath().getName();
            if (!job.isDir() || !JOB_ID.matcher(name).matches()) {
                continue;
            }
            for (FileStatus chk : list(fs, job.getPath())) {
                Matcher m = CHECKPOINT.matcher(chk.getPath().getName());
                if (chk.isDir() && m.matches()) {
                    highest.merge(name, Long.parseLong(m.group(1)), Math::max);
                    newest = Math.max(newest, chk.getModificationTime());
                }
            }
        }
        return new Snapshot(highest, newest);
    }

    /** A checkpoint in {@code after} newer than any of its job's in {@code before}, as "chk-N of job J". */
    static Optional<String> newIn(Snapshot before, Snapshot after, Optional<String> ownJobId) {
        for (var e : after.highest().entrySet()) {
            if (ownJobId.map(e.getKey()::equals).orElse(false)) {
                continue;
            }
            Long was = before.highest().get(e.getKey());
            if (was == null || e.getValue() > was) {
                return Optional.of("checkpoint chk-" + e.getValue() + " of job " + e.getKey());
            }
        }
        return Optional.empty();
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        return children == null ? new FileStatus[0] : children;
    }
}

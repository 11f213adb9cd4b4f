package dev.audiencemirror.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The checkpoints earlier runs of the job left in its checkpoint directory
 * ({@code execution.checkpointing.dir}): Flink writes each job's under {@code <dir>/<job id>/chk-<n>},
 * a completed one with its {@code _metadata}. A job stopped by Ctrl-C, killed, or cancelled
 * (retained on cancellation) leaves its last completed one there. What {@code --resume} restores.
 */
final class RetainedCheckpoints {
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");

    /** The newest completed checkpoint, and the folders of earlier jobs that only hold older ones. */
    record Newest(Path checkpoint, List<Path> supersededJobs) {}

    private RetainedCheckpoints() {}

    static Optional<Newest> find(String checkpointDir) throws IOException {
        Path dir = new Path(checkpointDir);
        FileSystem fs = dir.getFileSystem();
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        Path best = null;
        long bestTime = Long.MIN_VALUE;
        long bestId = -1;
        List<FileStatus> jobs = new ArrayList<>();
        for (FileStatus job : list(fs, dir)) {
            if (!job.isDir() || !JOB_ID.matcher(job.getPath().getName()).matches()) {
                continue;
            }
            jobs.add(job);
            for (FileStatus chk : list(fs, job.getPath())) {
                var m = CHECKPOINT.matcher(chk.getPath().getName());
                Path metadata = new Path(chk.getPath(), "_metadata");
                if (!chk.isDir() || !m.matches() || !fs.exists(metadata)) {
                    continue; // not a checkpoint, or one that never completed
                }
                long time = fs.getFileStatus(metadata).getModificationTime();
                long id = Long.parseLong(m.group(1));
                if (time > bestTime || (time == bestTime && id > bestId)) {
                    best = chk.getPath();
                    bestTime = time;
                    bestId = id;
                }
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        // A job folder changed last before the newest checkpoint was written holds nothing newer:
        // restoring never needs it again (the restored job's first checkpoint is a full one).
        List<Path> superseded = new ArrayList<>();
        Path bestJob = best.getParent();
        for (FileStatus job : jobs) {
            if (!job.getPath().equals(bestJob) && newestChange(fs, job) < bestTime) {
                superseded.add(job.getPath());
            }
        }
        return Optional.of(new Newest(best, superseded));
    }

    /** Deletes folders {@link #find} called superseded. */
    static void delete(List<Path> jobs) throws IOException {
        for (Path job : jobs) {
            job.getFileSystem().delete(job, true);
        }
    }

    private static long newestChange(FileSystem fs, FileStatus job) throws IOException {
        long newest = job.getModificationTime();
        for (FileStatus child : list(fs, job.getPath())) {
            newest = Math.max(newest, child.getModificationTime());
        }
        return newest;
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        return children == null ? new FileStatus[0] : children;
    }
}

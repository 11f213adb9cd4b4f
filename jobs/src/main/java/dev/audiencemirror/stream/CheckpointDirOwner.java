package dev.audiencemirror.stream;

import dev.audiencemirror.command.Command;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Which input a checkpoint directory's state belongs to, in a one-line file beside the job folders
 * ({@value #FILE}): {@code kafka group <id>} or {@code watched folders}. A restore takes the newest
 * checkpoint of the directory, so a directory shared by two configs (another consumer group, file
 * mode and Kafka mode) would hand one job the other's state; a start whose input is not the
 * directory's is refused while the directory holds checkpoints.
 */
final class CheckpointDirOwner {
    static final String FILE = "audience-mirror-input";

    private CheckpointDirOwner() {}

    /** The owner line for a job reading Kafka as {@code group}, or watched folders when null. */
    static String of(String kafkaGroup) {
        return kafkaGroup == null ? "watched folders" : "kafka group " + kafkaGroup;
    }

    /**
     * Refuses when {@code checkpointDir} holds checkpoints of another input, then records
     * {@code owner} as its input (a directory from before this file simply gets one).
     */
    static void claim(String checkpointDir, boolean holdsCheckpoints, String owner) throws IOException {
        Path file = new Path(checkpointDir, FILE);
        Optional<String> recorded = read(file);
        if (holdsCheckpoints && recorded.isPresent() && !recorded.get().equals(owner)) {
            throw new StartRefused(Command.REFUSED, "refused: the checkpoints under " + checkpointDir
                    + " hold the state of a job that read " + recorded.get() + "; this config reads " + owner
                    + ". Restoring them would give this job another input's state. Give this config its own"
                    + " flink: " + StartPlan.CHECKPOINT_DIR + " (or move the old checkpoints away).");
        }
        if (recorded.isEmpty() || !recorded.get().equals(owner)) {
            FileSystem fs = file.getFileSystem();
            fs.mkdirs(new Path(checkpointDir));
            try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
                out.write((owner + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            return line == null || line.isBlank() ? Optional.empty() : Optional.of(line.strip());
        }
    }
}

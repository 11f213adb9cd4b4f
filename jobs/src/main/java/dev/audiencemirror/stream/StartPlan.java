package dev.audiencemirror.stream;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.kafka.CommittedOffsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a start of the streaming job begins, and the line that says so, decided before anything is
 * submitted.
 *
 * <p><b>Kafka mode.</b> The job's state lives in its checkpoints, together with the sources'
 * offsets; the consumer group's committed offsets only follow completed checkpoints, for lag
 * dashboards, and are never a starting position. So a start restores (a savepoint or checkpoint
 * given, else the newest retained under the checkpoint directory), or, with neither a checkpoint
 * nor committed offsets, is a first start from the earliest offsets. Committed offsets without a
 * checkpoint mean a job of this group handled records whose state is gone: that start is refused,
 * unless {@code --rebuild-from-earliest} asks on purpose for empty state and every topic from its
 * earliest offset.
 *
 * <p><b>File mode.</b> A plain start reads the watched folders from the beginning and so rebuilds
 * the state; {@code --resume} restores the newest retained checkpoint.
 */
record StartPlan(Kind kind, Optional<String> restoreFrom, String line) {

    enum Kind {
        /** From a checkpoint or savepoint: state and source positions as they were. */
        RESTORE,
        /** Kafka mode, nothing read before: every topic from its earliest offset. */
        FIRST_START,
        /** Kafka mode, asked for: empty state, every topic from its earliest offset. */
        REBUILD,
        /** File mode: the watched folders from the beginning, the state rebuilt from them. */
        FROM_BEGINNING
    }

    /** A savepoint or checkpoint to start from, and what named it (an option, a config key). */
    record Given(String path, String by) {}

    /** What the command line and the config (named {@code config} in messages) ask for. */
    record Asked(String config, boolean kafka, boolean resume, boolean rebuildFromEarliest, Optional<Given> savepoint) {}

    /**
     * What is there: the checkpoint directory (null when none is configured), its newest retained
     * checkpoint, the consumer group and what it has committed on the job's topics (Kafka mode).
     */
    record Found(String checkpointDir, Optional<String> newestCheckpoint, String group,
            Map<String, CommittedOffsets.Topic> committed) {}

    static final String REBUILD_OPTION = "--rebuild-from-earliest";
    static final String FROM_SAVEPOINT_OPTION = "--from-savepoint";
    static final String CHECKPOINT_DIR = "execution.checkpointing.dir";

    static StartPlan decide(Asked asked, Found found) {
        checkConflicts(asked, found);
        if (asked.savepoint().isPresent()) {
            Given g = asked.savepoint().get();
            return new StartPlan(Kind.RESTORE, Optional.of(g.path()), "start: restoring from " + g.path()
                    + " (" + g.by() + "): " + (asked.kafka() ? "state and topic offsets" : "state and files read")
                    + " as they were saved");
        }
        return asked.kafka() ? kafka(asked, found) : files(asked, found);
    }

    private static StartPlan kafka(Asked asked, Found found) {
        String dir = found.checkpointDir();
        if (asked.rebuildFromEarliest()) {
            return new StartPlan(Kind.REBUILD, Optional.empty(), "start: rebuilding (" + REBUILD_OPTION
                    + "): empty state, every topic read from its earliest offset; the checkpoints under " + dir
                    + " and the committed offsets of consumer group '" + found.group() + "' are not used");
        }
        if (found.newestCheckpoint().isPresent()) {
            return new StartPlan(Kind.RESTORE, found.newestCheckpoint(), "start: restoring from checkpoint "
                    + found.newestCheckpoint().get() + ", the newest under " + dir
                    + ": state and topic offsets as they were (what it had read is not read again)");
        }
        if (found.committed().isEmpty()) {
            return new StartPlan(Kind.FIRST_START, Optional.empty(), "start: first start: no checkpoint under " + dir
                    + " and no committed offsets for consumer group '" + found.group()
                    + "'; reading every topic from its earliest offset");
        }
        long records = found.committed().values().stream().mapToLong(CommittedOffsets.Topic::records).sum();
        String topics = found.committed().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().records() + " records before them in "
                        + e.getValue().partitions() + (e.getValue().partitions() == 1 ? " partition" : " partitions"))
                .collect(Collectors.joining("; "));
        throw new StartRefused(Command.REFUSED, "refused: consumer group '" + found.group()
                + "' has committed offsets (" + topics + "), but no checkpoint under " + dir
                + " holds the state a job of this group built from those " + records + " records: the users'"
                + " cohorts and contacts, the lists' holders, the operations not yet sent. Starting without it"
                + " would lose that state: later records would act on nothing, and what the topics no longer"
                + " hold could not be rebuilt.\n"
                + "  Restore the state: put back the checkpoints under " + dir + " (flink: " + CHECKPOINT_DIR
                + "), or give a checkpoint or savepoint with " + FROM_SAVEPOINT_OPTION + " PATH;\n"
                + "  or rebuild it on purpose: " + REBUILD_OPTION + " reads every topic from its earliest offset with"
                + " empty state, exact only while the topics still hold every record since the audience began"
                + " (retention.ms and retention.bytes of -1 on the identity and event topics).");
    }

    private static StartPlan files(Asked asked, Found found) {
        if (!asked.resume()) {
            return new StartPlan(Kind.FROM_BEGINNING, Optional.empty(),
                    "start: reading the watched folders from the beginning (the state is rebuilt from them; "
                            + "--resume starts from the newest checkpoint instead)");
        }
        if (found.newestCheckpoint().isPresent()) {
            return new StartPlan(Kind.RESTORE, found.newestCheckpoint(), "start: restoring from checkpoint "
                    + found.newestCheckpoint().get() + ", the newest under " + found.checkpointDir()
                    + " (--resume): the files it had read are not read again");
        }
        return new StartPlan(Kind.FROM_BEGINNING, Optional.empty(), "start: no completed checkpoint under "
                + found.checkpointDir() + " yet (--resume); reading the watched folders from the beginning");
    }

    /**
     * The line a job stopped with SIGTERM or SIGINT prints last: what it kept and what the next
     * start does with it, by the rule above.
     *
     * @param checkpointDir null when none is configured
     * @param newest the newest retained checkpoint under it, as it is when the job stops
     */
    static String afterStop(boolean kafka, String checkpointDir, Optional<String> newest) {
        if (checkpointDir == null) {
            return "stopped; no checkpoints are kept (flink: " + CHECKPOINT_DIR + " is not set): a start reads the watched"
                    + " folders from the beginning";
        }
        if (newest.isEmpty()) {
            return "stopped before its first checkpoint: nothing kept under " + checkpointDir + "; a start begins as this one did";
        }
        String name = newest.get().substring(newest.get().lastIndexOf('/') + 1);
        return "stopped; checkpoint " + name + " kept (" + newest.get() + "); " + (kafka
                ? "a plain start restores it"
                : "--resume starts from it (a plain start reads the watched folders from the beginning)");
    }

    private static void checkConflicts(Asked asked, Found found) {
        String savepointBy = asked.savepoint().map(Given::by).orElse(null);
        if (asked.rebuildFromEarliest()) {
            if (!asked.kafka()) {
                throw new UsageException(REBUILD_OPTION + " is for Kafka mode: in file mode a plain start already"
                        + " reads the watched folders from the beginning");
            }
            if (asked.resume() || savepointBy != null) {
                throw new UsageException(REBUILD_OPTION + " and " + (asked.resume() ? "--resume" : savepointBy)
                        + " both say where to start from; give one");
            }
        }
        if (asked.resume() && savepointBy != null) {
            throw new UsageException("--resume and " + savepointBy + " both say where to start from; give one");
        }
        if (found.checkpointDir() == null && (asked.kafka() || asked.resume())) {
            throw new UsageException((asked.kafka() ? "Kafka mode" : "--resume") + " needs flink: " + CHECKPOINT_DIR
                    + " in " + asked.config() + " (or the cluster's config): the job's state"
                    + (asked.kafka() ? ", and with it what the job has read," : "") + " is kept there across restarts");
        }
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.config.KafkaSettings;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.kafka.CommittedOffsets;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Gathers what a start of the streaming job depends on (the checkpoint directory and its newest
 * retained checkpoint, the consumer group's committed offsets), has {@link StartPlan} decide,
 * prints the decision as the command's first line, refuses a start beside a running job of the
 * same directory ({@link CheckpointWriters}) or on another input's state ({@link CheckpointDirOwner}),
 * and sets the job's restore path.
 */
final class StreamStart {
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private StreamStart() {}

    /**
     * @param flinkConf the job's Flink settings ({@link StreamJob#flinkConfiguration}); gets the
     *     restore path when the plan restores
     * @param fromSavepoint the {@value StartPlan#FROM_SAVEPOINT_OPTION} value, if given
     */
    static StartPlan prepare(String configName, MirrorConfig config, Configuration flinkConf, boolean resume, boolean rebuild,
            Optional<String> fromSavepoint, PrintStream out) throws Exception {
        Configuration effective = effective(flinkConf);
        String dir = checkpointDir(effective);
        Optional<String> configured = effective.getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
        if (fromSavepoint.isPresent() && configured.isPresent()) {
            throw new UsageException(StartPlan.FROM_SAVEPOINT_OPTION + " and flink: " + StateRecoveryOptions.SAVEPOINT_PATH.key()
                    + " in " + configName + " both say where to start from; give one");
        }
        Optional<StartPlan.Given> savepoint = fromSavepoint.map(p -> new StartPlan.Given(p, StartPlan.FROM_SAVEPOINT_OPTION))
                .or(() -> configured.map(p -> new StartPlan.Given(p, flinkConf.contains(StateRecoveryOptions.SAVEPOINT_PATH)
                        ? "flink: " + StateRecoveryOptions.SAVEPOINT_PATH.key() + " in " + configName
                        : StateRecoveryOptions.SAVEPOINT_PATH.key() + " in the cluster's config")));
        Optional<KafkaSettings> kafka = config.kafka();
        StartPlan.Asked asked = new StartPlan.Asked(configName, kafka.isPresent(), resume, rebuild, savepoint);

        Optional<RetainedCheckpoints.Newest> newest = dir == null ? Optional.empty() : RetainedCheckpoints.find(dir);
        Map<String, CommittedOffsets.Topic> committed = Map.of();
        if (kafka.isPresent() && dir != null && savepoint.isEmpty() && newest.isEmpty() && !rebuild) {
            committed = CommittedOffsets.of(kafka.get(), kafka.get().inputTopics(), KAFKA_TIMEOUT);
        }
        StartPlan plan = StartPlan.decide(asked, new StartPlan.Found(dir,
                newest.map(n -> n.checkpoint().toString()), kafka.map(KafkaSettings::groupId).orElse(null), committed));
        out.println(plan.line());
        out.flush();

        if (dir != null) {
            Duration interval = Optional.ofNullable(effective.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                    .orElse(Duration.ofSeconds(1));
            Duration window = clamp(interval.multipliedBy(2).plusSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(2));
            CheckpointWriters.refuseIfActive(dir, window,
                    effective.getOptional(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID), out::println);
            CheckpointDirOwner.claim(dir, newest.isPresent(), CheckpointDirOwner.of(kafka.map(KafkaSettings::groupId).orElse(null)));
        }
        boolean fromDirectory = plan.kind() == StartPlan.Kind.RESTORE && savepoint.isEmpty();
        if (fromDirectory) {
            // The restored job's first checkpoint is a full one: earlier jobs' folders are not needed again.
            RetainedCheckpoints.delete(newest.get().supersededJobs());
        }
        plan.restoreFrom().ifPresent(path -> flinkConf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        return plan;
    }

    /**
     * The line to print when the job is stopped (SIGTERM, SIGINT): the checkpoint kept, read when
     * it stops, and how the next start uses it ({@link StartPlan#afterStop}).
     */
    static String afterStop(MirrorConfig config, Configuration flinkConf) {
        String dir = checkpointDir(effective(flinkConf));
        Optional<String> newest;
        try {
            newest = dir == null ? Optional.empty() : RetainedCheckpoints.find(dir).map(n -> n.checkpoint().toString());
        } catch (Exception e) {
            return "stopped; the checkpoints under " + dir + " could not be read (" + e.getMessage() + ")";
        }
        return StartPlan.afterStop(config.kafka().isPresent(), dir, newest);
    }

    /**
     * What the job will run with: the cluster's settings (FLINK_CONF_DIR, where a cluster runs the
     * main), overridden by the config's flink: section.
     */
    private static Configuration effective(Configuration flinkConf) {
        Configuration effective = GlobalConfiguration.loadConfiguration();
        effective.addAll(flinkConf);
        return effective;
    }

    private static String checkpointDir(Configuration effective) {
        return effective.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).map(StreamJob::withScheme).orElse(null);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}

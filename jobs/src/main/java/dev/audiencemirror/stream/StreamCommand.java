package dev.audiencemirror.stream;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.kafka.KafkaPreflight;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.progress.JobProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code mirror stream --config FILE [--resume]}: runs the streaming activation job until stopped. */
public final class StreamCommand implements Command {
    private static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    private static final String RECOVERY_PATH = "execution.state-recovery.path";

    @Override
    public String summary() {
        return "the streaming activation job: cohort entries and exits to Adestra lists within seconds";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror stream --config FILE [--resume]",
                "",
                "Runs until stopped (Ctrl-C). With a kafka: section it reads the configured topics;",
                "without one it watches the folders inputs.identities and inputs.events for new",
                "files (move complete files in).",
                "",
                "  --resume  start from the newest checkpoint an earlier run left under",
                "            flink: execution.checkpointing.dir: files read then are not read again",
                "            (without it, a start reads the watched folders from the beginning)",
                "",
                "Exit code 1 when the job fails, 2 on bad usage or configuration.")
                .flag("--resume", null)
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        Path config = parsed.configPath();
        boolean resume = parsed.has("--resume");
        if (resolved.kafka().isEmpty()) {
            List<String> missing = new ArrayList<>();
            if (resolved.inputs().identities().isEmpty()) {
                missing.add("inputs.identities: required for the streaming job without kafka (a folder to watch)");
            }
            if (resolved.inputs().events().isEmpty()) {
                missing.add("inputs.events: required for the streaming job without kafka (a folder to watch)");
            }
            if (!missing.isEmpty()) {
                err.println(new ConfigException(config.toString(), missing).getMessage());
                return Command.USAGE;
            }
            createLocalFolder(resolved.inputs().identities().get());
            createLocalFolder(resolved.inputs().events().get());
        }
        if (resolved.kafka().isPresent()) {
            List<String> problems = KafkaPreflight.check(resolved.kafka().get(), Duration.ofSeconds(30));
            if (!problems.isEmpty()) {
                err.println(new ConfigException(config.toString(), problems).getMessage());
                return Command.FAILED;
            }
        }
        StreamConnections io = StreamConnections.forConfig(resolved);
        Configuration flinkConf = StreamJob.flinkConfiguration(resolved);
        if (resume) {
            resumeFrom(flinkConf, config, out).ifPresent(path -> flinkConf.setString(RECOVERY_PATH, path));
        }

        try (Destinations destinations = Destinations.open(resolved, Destinations.sandboxStateFile(resolved))) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
            StreamJob.define(env, resolved, io, destinations);
            resolved.stream().statusInterval().ifPresent(every ->
                    JobProgress.attach(env, every, StreamStatus.line(resolved, Clock.systemDefaultZone()), out::println));
            out.println("streaming: " + describeInputs(resolved) + "; changes go to " + destinations.adestraUrl
                    + " after a " + resolved.stream().window().toMillis() + " ms window");
            destinations.sandbox().ifPresent(s -> out.println("embedded sandbox: lists at " + s.baseUrl()
                    + "/_sandbox/adestra/lists/{list_id}, also saved to " + s.stateFile()));
            out.println("rejected records and dead letters: " + describeDeadLetters(resolved));
            out.println(resolved.stream().statusInterval()
                    .map(every -> "a status line every " + every.toSeconds() + " s (stream.status-interval); ")
                    .orElse("") + "Ctrl-C to stop.");
            out.flush();
            env.execute(StreamJob.NAME);
        }
        return Command.OK;
    }

    /**
     * {@code --resume}: the newest retained checkpoint of the job's checkpoint directory (empty:
     * none yet, the job starts from the beginning), after removing earlier jobs' folders it
     * supersedes. A usage error when the config gives no checkpoint directory or a start of its own.
     */
    private static Optional<String> resumeFrom(Configuration flinkConf, Path config, PrintStream out) throws IOException {
        Map<String, String> settings = flinkConf.toMap();
        String dir = settings.get(CHECKPOINT_DIR);
        if (dir == null) {
            throw new UsageException("--resume needs flink: " + CHECKPOINT_DIR + " in " + config
                    + " (where the job keeps the checkpoints it resumes from)");
        }
        if (settings.containsKey(RECOVERY_PATH)) {
            throw new UsageException("--resume and flink: " + RECOVERY_PATH + " in " + config
                    + " both say where to start from; give one");
        }
        Optional<RetainedCheckpoints.Newest> newest = RetainedCheckpoints.find(dir);
        if (newest.isEmpty()) {
            out.println("resume: no completed checkpoint under " + dir + " yet; reading the watched inputs from the beginning");
            return Optional.empty();
        }
        RetainedCheckpoints.delete(newest.get().supersededJobs());
        String path = newest.get().checkpoint().toString();
        out.println("resume: starting from checkpoint " + path + " (what it had read is not read again)");
        return Optional.of(path);
    }

    private static String describeInputs(MirrorConfig config) {
        if (config.kafka().isPresent()) {
            var k = config.kafka().get();
            return "reading Kafka topics " + k.identitiesTopic() + ", " + k.eventsTopic()
                    + (k.segmentsTopic() == null ? "" : ", " + k.segmentsTopic() + " (segments to the taxonomy)")
                    + " as consumer group " + k.groupId();
        }
        return "watching " + config.inputs().identities().orElse("?") + " and " + config.inputs().events().orElse("?")
                + " for new files";
    }

    private static String describeDeadLetters(MirrorConfig config) {
        if (config.kafka().isPresent() && config.kafka().get().deadLetterTopic() != null) {
            return "Kafka topic " + config.kafka().get().deadLetterTopic() + " (transactional: read_committed)";
        }
        return config.stream().deadLetterDir() + "/rejects/ and " + config.stream().deadLetterDir() + "/dead-letters/{adestra,taxonomy}/";
    }

    /** A watched local folder that does not exist yet is created, so files can be dropped in. */
    private static void createLocalFolder(String location) throws IOException {
        URI uri = URI.create(location.replace('\\', '/').replace(" ", "%20"));
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            Path p = uri.getScheme() == null ? Path.of(location) : Path.of(uri);
            if (!Files.exists(p)) {
                Files.createDirectories(p);
            }
        }
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.SecretUse;
import dev.audiencemirror.kafka.KafkaPreflight;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.progress.JobProgress;
import dev.audiencemirror.runlog.RunLog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code mirror stream --config FILE [--resume | --rebuild-from-earliest | --from-savepoint PATH]}: runs the streaming activation job until stopped. */
public final class StreamCommand implements Command {
    @Override
    public String summary() {
        return "the streaming activation job: cohort entries and exits to Adestra lists within seconds";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror stream --config FILE [--resume | --rebuild-from-earliest | --from-savepoint PATH]",
                "",
                "Runs until stopped (Ctrl-C). With a kafka: section it reads the",
                "configured topics; without one it watches the folders inputs.identities and inputs.events for new",
                "files (move complete files in). The first line says how the job starts:",
                "",
                "  Kafka mode: a start restores the newest checkpoint under flink: execution.checkpointing.dir",
                "  (state and topic offsets together); with no checkpoint and no committed offsets for the",
                "  consumer group it is a first start (every topic from its earliest offset); with committed",
                "  offsets but no checkpoint it is refused (exit 3): their state would be lost.",
                "  File mode: a start reads the watched folders from the beginning (the state is rebuilt).",
                "",
                "  --resume                 file mode: start from the newest checkpoint instead (files read",
                "                           then are not read again); Kafka mode: what a start does anyway",
                "  --rebuild-from-earliest  Kafka mode: empty state, every topic from its earliest offset, on",
                "                           purpose (exact only while the topics hold every record: retention)",
                "  --from-savepoint PATH    start from this savepoint or retained checkpoint",
                "",
                "Stopped with SIGTERM (kill, timeout, a service manager) it exits 143, with Ctrl-C (SIGINT) 130;",
                "its last line names the checkpoint it kept and how the next start uses it.",
                "Exit code 1 when the job fails, 2 on bad usage or configuration, 3 when the start is refused",
                "(it would lose state), 5 when another job writes checkpoints in the same directory.")
                .flag("--resume", null)
                .flag(StartPlan.REBUILD_OPTION, null)
                .value(StartPlan.FROM_SAVEPOINT_OPTION, null)
                .secrets(SecretUse.API_KEYS, SecretUse.KAFKA)
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        Path config = parsed.configPath();
        // A local run's log goes beside its rejects and dead letters, the stream's run folder.
        Optional<Path> log = Optional.empty();
        Optional<Path> runFolder = localPath(resolved.stream().deadLetterDir());
        if (runFolder.isPresent()) {
            Files.createDirectories(runFolder.get());
            log = RunLog.to(runFolder.get().resolve("mirror.log"));
        }
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
        try {
            StreamStart.prepare(config.toString(), resolved, flinkConf, parsed.has("--resume"), parsed.has(StartPlan.REBUILD_OPTION),
                    parsed.value(StartPlan.FROM_SAVEPOINT_OPTION), out);
        } catch (StartRefused refused) {
            out.flush();
            err.println("mirror stream: " + refused.getMessage());
            return refused.exitCode();
        }

        try (Destinations destinations = Destinations.open(resolved, Destinations.sandboxStateFile(resolved))) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
            StreamJob.define(env, resolved, io, destinations);
            resolved.stream().statusInterval().ifPresent(every ->
                    JobProgress.attach(env, every, StreamStatus.line(resolved, Clock.systemDefaultZone()), out::println));
            out.println("streaming: " + describeInputs(resolved) + " at parallelism " + env.getParallelism()
                    + "; changes go to " + destinations.adestraUrl
                    + " after a " + resolved.stream().window().toMillis() + " ms window");
            destinations.sandbox().ifPresent(s -> out.println("embedded sandbox: lists at " + s.baseUrl()
                    + "/_sandbox/adestra/lists/{list_id}, also saved to " + s.stateFile()));
            out.println("rejected records and dead letters: " + describeDeadLetters(resolved));
            log.ifPresent(file -> out.println("log: " + file));
            out.println(resolved.stream().statusInterval()
                    .map(every -> "a status line every " + every.toSeconds() + " s (stream.status-interval); ")
                    .orElse("") + "Ctrl-C to stop.");
            out.flush();
            AtomicBoolean stopping = new AtomicBoolean();
            Thread stopped = new Thread(() -> {
                stopping.set(true);
                out.println(StreamStart.afterStop(resolved, flinkConf));
                out.flush();
            }, "stream-stopped");
            Runtime.getRuntime().addShutdownHook(stopped);
            try {
                env.execute(StreamJob.NAME);
            } catch (Exception e) {
                if (stopping.get()) {
                    // The JVM is stopping (SIGTERM, SIGINT) and takes the mini-cluster with it: not a failure.
                    return Command.STOPPED;
                }
                throw e;
            } finally {
                removeHook(stopped);
            }
        }
        return Command.OK;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // it runs
        }
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
        Optional<Path> p = localPath(location);
        if (p.isPresent() && !Files.exists(p.get())) {
            Files.createDirectories(p.get());
        }
    }

    /** The local folder a location names (a path, or a {@code file:} URI); empty for another file system's. */
    private static Optional<Path> localPath(String location) {
        URI uri = URI.create(location.replace('\\', '/').replace(" ", "%20"));
        if (uri.getScheme() == null) {
            return Optional.of(Path.of(location));
        }
        return uri.getScheme().equals("file") ? Optional.of(Path.of(uri)) : Optional.empty();
    }
}

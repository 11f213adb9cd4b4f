package dev.audiencemirror.redrive;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.runlog.RunLog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code mirror redrive --config FILE}: sends the streaming job's refused Adestra and Taxonomy operations again. */
public final class RedriveCommand implements Command {

    @Override
    public String summary() {
        return "send the streaming job's refused Adestra and Taxonomy operations again, unless a newer one for the key was sent";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror redrive --config FILE",
                "",
                "Reads the streaming job's dead letters (kafka.topics.dead-letter, or",
                "stream.dead-letter-dir/dead-letters/{adestra,taxonomy}/) and sends each refused operation",
                "again through its sink, unless a newer operation for its (contact, list) or segment code",
                "was applied or refused since. Fix the cause first (create the list, correct the contact or",
                "the segment definition).",
                "What it did goes to the same dead-letter output, so running it again sends nothing",
                "it got applied; operations refused again are tried again next time.",
                "The nightly run needs no redrive: its next run sends again what it could not.",
                "",
                "Exit code 0 when every operation sent was applied, 1 when some were refused again",
                "or the run failed, 2 on bad usage or configuration.")
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        if (resolved.kafka().isEmpty() && resolved.inputs().events().isEmpty()) {
            err.println("mirror redrive: " + parsed.configPath() + " is not a streaming job's config (no kafka: and no"
                    + " inputs.events): redrive sends the stream's dead letters again. A nightly run needs none: its"
                    + " next run sends again what it could not.");
            return Command.USAGE;
        }
        Path sandboxState = Destinations.sandboxStateFile(resolved);
        Path work = sandboxState.getParent().resolveSibling("redrive");
        Files.createDirectories(work);
        // A local redrive's log, stack traces included, goes beside what it sends again.
        java.util.Optional<Path> log = RunLog.to(work.resolve("mirror.log"));
        Redrive redrive = new Redrive(resolved, sandboxState, work, out);
        int refusedAgain = 0;
        for (Letter.Destination destination : Letter.Destination.values()) {
            Redrive.Report report = redrive.run(destination);
            out.print(report.table());
            refusedAgain += report.refusedAgain();
        }
        log.ifPresent(l -> out.println("log: " + l));
        return refusedAgain > 0 ? Command.FAILED : Command.OK;
    }
}

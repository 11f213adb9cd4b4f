package dev.audiencemirror.redrive;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.destinations.Destinations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code mirror redrive --config FILE}: sends the streaming job's refused Adestra operations again. */
public final class RedriveCommand implements Command {

    @Override
    public String summary() {
        return "send the streaming job's refused Adestra operations again, unless a newer one for the key was sent";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror redrive --config FILE",
                "",
                "Reads the streaming job's Adestra dead letters (kafka.topics.dead-letter, or",
                "stream.dead-letter-dir/dead-letters/adestra/) and sends each refused operation again",
                "through the Adestra sink, unless a newer operation for its (contact, list) was applied",
                "or refused since. Fix the cause first (create the list, correct the contact).",
                "What it did goes to the same dead-letter output, so running it again sends nothing",
                "it got applied; operations refused again are tried again next time.",
                "The nightly run needs no redrive: its next run sends again what it could not.",
                "",
                "Exit code 0 when every operation sent was applied, 1 when some were refused again",
                "or the run failed, 2 on bad usage or configuration.")
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        Path sandboxState = Destinations.sandboxStateFile(resolved);
        Path work = sandboxState.getParent().resolveSibling("redrive");
        Files.createDirectories(work);
        Redrive.Report report = new Redrive(resolved, sandboxState, work).run();
        out.print(report.table());
        return report.refusedAgain() > 0 ? Command.FAILED : Command.OK;
    }
}

package dev.audiencemirror.cli;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.config.MirrorConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code mirror check --config FILE}: validates a config and prints it resolved, secrets masked. */
final class CheckCommand implements Command {

    @Override
    public String summary() {
        return "validate a config file and print the resolved settings (secrets masked)";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror check --config FILE",
                "Validates FILE (every problem is listed, each naming its key) and prints the resolved settings.",
                "For a nightly config (one with inputs.memberships) it also checks that each input exists, can be",
                "read, and that each membership CSV header names user_id and cohort, and reads the export's as-of",
                "time from inputs.as-of as the run does.",
                "Exit code 0 when valid, 2 when not.")
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        Path config = parsed.configPath();
        // A config with a membership snapshot is a nightly one: its inputs must be there to read.
        if (resolved.inputs().memberships().isPresent()) {
            java.util.List<String> problems = dev.audiencemirror.nightly.NightlyInputs.problems(resolved);
            if (!problems.isEmpty()) {
                err.println("Configuration " + config + ": the nightly inputs cannot be used:");
                problems.forEach(p -> err.println("  " + p));
                return Command.USAGE;
            }
        }
        out.println("Configuration " + config + " is valid.");
        out.print(ConfigDescription.of(resolved));
        if (resolved.inputs().memberships().isPresent()) {
            out.println();
            out.print(ConfigDescription.ownership(resolved));
            out.print(dev.audiencemirror.nightly.NightlyInputs.describeAsOf(resolved));
        }
        return Command.OK;
    }
}

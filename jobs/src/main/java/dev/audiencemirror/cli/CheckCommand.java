package dev.audiencemirror.cli;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.nightly.NightlyInputs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

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
                "Validates FILE and prints the resolved settings. Every problem is listed at once, each naming",
                "its key: the file's own, each secret the config names that cannot be read here, and for a",
                "nightly config (one with inputs.memberships) each input that does not exist or cannot be read,",
                "each membership CSV header that does not name user_id and cohort, and the export's as-of time",
                "from inputs.as-of, read as the run reads it.",
                "Exit code 0 when valid, 2 when not.")
                // Every secret (the default): the config may be for any command.
                .alsoChecking(CheckCommand::inputProblems)
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out));
    }

    /** A config with a membership snapshot is a nightly one: its inputs must be there to read. */
    private static List<String> inputProblems(MirrorConfig config) {
        return config.inputs().memberships().isPresent() ? NightlyInputs.problems(config) : List.of();
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out) {
        Path config = parsed.configPath();
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

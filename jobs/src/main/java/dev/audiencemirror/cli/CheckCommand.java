package dev.audiencemirror.cli;

import dev.audiencemirror.config.MirrorConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code mirror check --config FILE}: validates a config and prints it resolved, secrets masked. */
final class CheckCommand implements MirrorCli.Command {

    @Override
    public String summary() {
        return "validate a config file and print the resolved settings (secrets masked)";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = Args.config(config, args, i++);
                case "--help", "-h" -> {
                    out.println("Usage: bin/mirror check --config FILE");
                    out.println("Validates FILE (every problem is listed, each naming its key) and prints the resolved settings.");
                    out.println("For a nightly config (one with inputs.memberships) it also checks that each input exists, can be");
                    out.println("read, and that each membership CSV header names user_id and cohort.");
                    out.println("Exit code 0 when valid, 2 when not.");
                    return MirrorCli.OK;
                }
                default -> throw new MirrorCli.UsageException("unknown option '" + args[i] + "' (try --help)");
            }
        }
        MirrorConfig resolved = Args.loadConfig(config, err);
        if (resolved == null) {
            return MirrorCli.USAGE;
        }
        // A config with a membership snapshot is a nightly one: its inputs must be there to read.
        if (resolved.inputs().memberships().isPresent()) {
            java.util.List<String> problems = dev.audiencemirror.nightly.NightlyInputs.problems(resolved);
            if (!problems.isEmpty()) {
                err.println("Configuration " + config + ": the nightly inputs cannot be used:");
                problems.forEach(p -> err.println("  " + p));
                return MirrorCli.USAGE;
            }
        }
        out.println("Configuration " + config + " is valid.");
        out.print(ConfigDescription.of(resolved));
        if (resolved.inputs().memberships().isPresent()) {
            out.println();
            out.print(ConfigDescription.ownership(resolved));
        }
        return MirrorCli.OK;
    }
}

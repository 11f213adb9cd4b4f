package dev.audiencemirror.cli;

import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/** What the subcommands' option parsing shares. */
public final class Args {
    private Args() {}

    /** The value after option {@code args[i]}, or a usage error naming the option. */
    public static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new MirrorCli.UsageException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /** The path after {@code --config}; given twice, a usage error rather than the last one silently. */
    public static Path config(Path already, String[] args, int i) {
        Path next = Path.of(value(args, i));
        if (already != null) {
            throw new MirrorCli.UsageException(args[i] + " given twice (" + already + " and " + next + "); give one");
        }
        return next;
    }

    /**
     * Loads and checks a config; on a bad one prints every problem to {@code err} and returns
     * null, for the caller to exit with {@link MirrorCli#USAGE}.
     */
    public static MirrorConfig loadConfig(Path config, PrintStream err) {
        if (config == null) {
            throw new MirrorCli.UsageException("--config FILE is required");
        }
        try {
            return ConfigLoader.fromEnvironment().load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        }
    }
}

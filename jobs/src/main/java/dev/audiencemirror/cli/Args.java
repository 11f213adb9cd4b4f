package dev.audiencemirror.cli;

/** Small helpers for the subcommands' hand-rolled option parsing. */
final class Args {
    private Args() {}

    /** The value after option {@code args[i]}, or a usage error naming the option. */
    static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new MirrorCli.UsageException(args[i] + " needs a value");
        }
        return args[i + 1];
    }
}

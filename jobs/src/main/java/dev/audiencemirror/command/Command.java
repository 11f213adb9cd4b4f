package dev.audiencemirror.command;

import java.io.PrintStream;

/**
 * A {@code bin/mirror} subcommand: runs with its own arguments and returns an exit code. Each lives
 * with the feature it drives; {@code cli.MirrorCli} only dispatches to them.
 */
public interface Command {
    int OK = 0;
    /** The run failed. */
    int FAILED = 1;
    /** Bad usage, configuration or input. */
    int USAGE = 2;

    String summary();

    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}

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
    /** A safety check refused to start; nothing was sent. */
    int REFUSED = 3;
    /** Another run holds what this one needs (a state directory, a checkpoint directory); nothing was done. */
    int LOCKED = 5;
    /** Stopped by SIGTERM (kill, timeout, a service manager): 128 + 15, as the JVM exits on it. */
    int STOPPED = 143;

    String summary();

    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}

package dev.audiencemirror.cli;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.errors.RootCause;
import dev.audiencemirror.files.LocalFileSystems;
import dev.audiencemirror.nightly.NightlyCommand;
import dev.audiencemirror.redrive.RedriveCommand;
import dev.audiencemirror.runlog.RunLog;
import dev.audiencemirror.stream.StreamCommand;
import dev.audiencemirror.tmp.RunTempDir;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point behind {@code bin/mirror} and the job jar's manifest. Each subcommand is a
 * small class; this only dispatches and turns outcomes into exit codes (0 ok, 1 the run failed,
 * 2 bad usage or configuration).
 */
public final class MirrorCli {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MirrorCli.class);

    private final Map<String, Command> commands = new LinkedHashMap<>();

    public MirrorCli() {
        commands.put("nightly", new NightlyCommand());
        commands.put("stream", new StreamCommand());
        commands.put("redrive", new RedriveCommand());
        commands.put("check", new CheckCommand());
        commands.put("sandbox", new SandboxCommand());
    }

    public static void main(String[] args) throws java.io.IOException {
        if (!submittedToFlink()) {
            // Our own JVM (bin/mirror): what Flink's local mini-cluster leaves in the temp directory goes with it,
            // and it loads the file-system plugins a cluster would.
            RunTempDir.install();
            LocalFileSystems.install();
            // ... and the log goes to a file of the run, once a command knows its run folder.
            RunLog.install();
        }
        int code = new MirrorCli().run(args, System.out, System.err);
        System.out.flush();
        if (submittedToFlink()) {
            // Run by Flink (`flink run`, REST /jars/run, application mode): the JVM is Flink's, a
            // JobManager's in the last two, and System.exit would take it down. Flink reports a
            // main that throws as a failed submission (and `flink run` exits 1).
            if (code != Command.OK) {
                throw new IllegalStateException("mirror " + String.join(" ", args) + ": exit code " + code
                        + " (the reason is printed above)");
            }
            return;
        }
        System.exit(code);
    }

    /**
     * Whether Flink loaded the job jar: its client and its JobManager load a submitted jar through a
     * user-code class loader; bin/mirror puts the jar on the application class path.
     */
    static boolean submittedToFlink() {
        return MirrorCli.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    }

    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0])) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? Command.USAGE : Command.OK;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("mirror: unknown command '" + args[0] + "'");
            usage(err);
            return Command.USAGE;
        }
        try {
            return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (UsageException e) {
            err.println("mirror " + args[0] + ": " + e.getMessage());
            return Command.USAGE;
        } catch (Exception e) {
            // The cause a person can act on; the whole chain goes to the log.
            err.println("mirror " + args[0] + ": failed: " + RootCause.of(e));
            LOG.error("mirror {} failed", args[0], e);
            RunLog.file().ifPresent(f -> err.println("  (the whole trace is in " + f + ")"));
            return Command.FAILED;
        }
    }

    static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

    private void usage(PrintStream out) {
        out.println("Usage: bin/mirror <command> [options]");
        out.println();
        out.println("Keeps Adestra contact lists and Permutive taxonomies an exact mirror of your audiences.");
        out.println();
        out.println("Commands:");
        commands.forEach((name, c) -> out.printf("  %-9s %s%n", name, c.summary()));
        out.println();
        out.println("Run 'bin/mirror <command> --help' for a command's options.");
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.cli.Args;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.progress.ProgressPrinter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code mirror nightly --config FILE [--dry-run] [--full-resync] [--allow-large-removals] [--as-of TIME] [--verbose]}. */
public final class NightlyCommand implements MirrorCli.Command {

    @Override
    public String summary() {
        return "the nightly mirror run: diff today's snapshot files against the last sync, push the net changes";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path config = null;
        boolean dryRun = false;
        boolean fullResync = false;
        boolean allowLargeRemovals = false;
        boolean verbose = false;
        Optional<Instant> asOf = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = Args.config(config, args, i++);
                case "--dry-run" -> dryRun = true;
                case "--full-resync" -> fullResync = true;
                case "--allow-large-removals" -> allowLargeRemovals = true;
                case "--verbose", "-v" -> verbose = true;
                case "--as-of" -> {
                    if (i + 1 >= args.length) {
                        throw new MirrorCli.UsageException("--as-of needs a value: the export's as-of time, e.g. 2026-12-02T02:00:00Z");
                    }
                    try {
                        asOf = Optional.of(ExportAsOf.parse(args[++i]));
                    } catch (DateTimeParseException e) {
                        throw new MirrorCli.UsageException("--as-of: '" + args[i]
                                + "' is not an ISO 8601 instant with a zone offset such as 2026-12-02T02:00:00Z");
                    }
                }
                case "--help", "-h" -> {
                    out.println("Usage: bin/mirror nightly --config FILE [--dry-run] [--full-resync] [--allow-large-removals] [--as-of TIME] [--verbose]");
                    out.println();
                    out.println("  --dry-run               compute and write the plan, send nothing");
                    out.println("  --full-resync           send every target membership again (adds), plus removals of what");
                    out.println("                          the snapshot says was synced and is gone");
                    out.println("  --allow-large-removals  push even if a list would lose more than nightly.max-removal-ratio");
                    out.println("  --as-of TIME            the export's as-of time (ISO 8601, e.g. 2026-12-02T02:00:00Z), for the");
                    out.println("                          lists the streaming job writes (nightly.stream-config); else inputs.as-of");
                    out.println("  --verbose               on failure, print the whole stack trace (it is always in the log)");
                    out.println();
                    out.println("Operations a destination refuses go to the run's dead-letters/ and are sent again by the next run (no redrive needed).");
                    out.println();
                    out.println("Exit codes: 0 pushed, nothing to send, or dry run; 1 failed (destination unreachable, bad key,");
                    out.println("missing list, job failure); 2 bad usage, configuration or input; 3 refused by a safety check;");
                    out.println("4 pushed, but a destination refused some operations; 5 another run holds the state directory.");
                    return MirrorCli.OK;
                }
                default -> throw new MirrorCli.UsageException("unknown option '" + args[i] + "' (try --help)");
            }
        }
        MirrorConfig resolved = Args.loadConfig(config, err);
        if (resolved == null) {
            return MirrorCli.USAGE;
        }
        List<String> missing = new ArrayList<>();
        if (resolved.inputs().identities().isEmpty()) {
            missing.add("inputs.identities: required for the nightly run");
        }
        if (resolved.inputs().memberships().isEmpty()) {
            missing.add("inputs.memberships: required for the nightly run");
        }
        if (!missing.isEmpty()) {
            err.println(new ConfigException(config.toString(), missing).getMessage());
            return MirrorCli.USAGE;
        }
        RunReport report = new NightlyRun(resolved, new NightlyRun.Options(dryRun, fullResync, allowLargeRemovals, asOf),
                Clock.systemUTC(), ProgressPrinter.forTerminal(out)).execute();
        if (report.outcome == RunReport.Outcome.INVALID_INPUT
                && report.failureException instanceof NightlyInputs.InvalidException invalid) {
            invalid.problems().forEach(p -> err.println("mirror nightly: " + p));
        } else if (report.failure != null) {
            err.println("mirror nightly: " + report.outcome.label + ": " + report.failure);
            if (verbose && report.failureException != null) {
                report.failureException.printStackTrace(err);
            }
        }
        out.print(report.table());
        return report.outcome.exitCode;
    }
}

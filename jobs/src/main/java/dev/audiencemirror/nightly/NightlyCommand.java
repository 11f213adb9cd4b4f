package dev.audiencemirror.nightly;

import dev.audiencemirror.command.Command;
import dev.audiencemirror.command.CommandLine;
import dev.audiencemirror.command.UsageException;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.SecretUse;
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
public final class NightlyCommand implements Command {

    @Override
    public String summary() {
        return "the nightly mirror run: diff today's snapshot files against the last sync, push the net changes";
    }

    private static Instant asOf(String text) {
        try {
            return ExportAsOf.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("--as-of: '" + text + "' is not an ISO 8601 instant with a zone offset such as 2026-12-02T02:00:00Z");
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return new CommandLine(
                "Usage: bin/mirror nightly --config FILE [--dry-run] [--full-resync] [--allow-large-removals] [--as-of TIME] [--verbose]",
                "",
                "  --dry-run               compute and write the plan, send nothing",
                "  --full-resync           send every target membership again (adds), plus removals of what",
                "                          the snapshot says was synced and is gone",
                "  --allow-large-removals  push even if a list would lose more than nightly.max-removal-ratio",
                "                          (both overrides are recorded in the report with what they allowed)",
                "  --as-of TIME            the export's as-of time (ISO 8601, e.g. 2026-12-02T02:00:00Z), for the",
                "                          lists the streaming job writes (nightly.stream-config); else inputs.as-of",
                "  --verbose               on failure, print the whole stack trace (it is always in the log: a local",
                "                          run's is the mirror.log its report names)",
                "",
                "Operations a destination refuses go to the run's dead-letters/ and are sent again by the next run (no redrive needed).",
                "",
                "Exit codes: 0 pushed, nothing to send, or dry run; 1 failed (destination unreachable, bad key,",
                "missing list, job failure); 2 bad usage, configuration or input; 3 refused by a safety check;",
                "4 pushed, but a destination refused some operations; 5 another run holds the state directory.")
                .flag("--dry-run", null).flag("--full-resync", null).flag("--allow-large-removals", null)
                .flag("--verbose", "-v").value("--as-of", null)
                // Not this file's own Kafka secrets (a file both jobs share has them): the run uses none.
                .secrets(SecretUse.API_KEYS, SecretUse.STREAM_CONFIG_KAFKA)
                .run(args, out, err, (parsed, resolved) -> execute(parsed, resolved, out, err));
    }

    private int execute(CommandLine.Parsed parsed, MirrorConfig resolved, PrintStream out, PrintStream err) throws Exception {
        Path config = parsed.configPath();
        boolean dryRun = parsed.has("--dry-run");
        boolean fullResync = parsed.has("--full-resync");
        boolean allowLargeRemovals = parsed.has("--allow-large-removals");
        boolean verbose = parsed.has("--verbose");
        Optional<Instant> asOf = parsed.value("--as-of").map(NightlyCommand::asOf);
        List<String> missing = new ArrayList<>();
        if (resolved.inputs().identities().isEmpty()) {
            missing.add("inputs.identities: required for the nightly run");
        }
        if (resolved.inputs().memberships().isEmpty()) {
            missing.add("inputs.memberships: required for the nightly run");
        }
        if (!missing.isEmpty()) {
            err.println(new ConfigException(config.toString(), missing).getMessage());
            return Command.USAGE;
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

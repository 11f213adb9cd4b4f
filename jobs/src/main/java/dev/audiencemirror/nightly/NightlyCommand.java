package dev.audiencemirror.nightly;

import dev.audiencemirror.cli.Args;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.MirrorConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code mirror nightly --config FILE [--dry-run] [--full-resync] [--allow-large-removals]}. */
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
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = Path.of(Args.value(args, i++));
                case "--dry-run" -> dryRun = true;
                case "--full-resync" -> fullResync = true;
                case "--allow-large-removals" -> allowLargeRemovals = true;
                case "--help", "-h" -> {
                    out.println("Usage: bin/mirror nightly --config FILE [--dry-run] [--full-resync] [--allow-large-removals]");
                    out.println();
                    out.println("  --dry-run               compute and write the plan, send nothing");
                    out.println("  --full-resync           send every target membership again (adds), plus removals of what");
                    out.println("                          the snapshot says was synced and is gone");
                    out.println("  --allow-large-removals  push even if a list would lose more than nightly.max-removal-ratio");
                    out.println();
                    out.println("Operations an API refused go to the run's dead-letters/ and are retried by the next run");
                    out.println("(no redrive needed): it diffs against what was confirmed, not against what was planned.");
                    out.println();
                    out.println("Exit code 0 when the run pushed (or had nothing to push, or was a dry run), 1 when it failed");
                    out.println("or was refused by a safety check, 2 on bad usage or configuration.");
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
        RunReport report = new NightlyRun(resolved, new NightlyRun.Options(dryRun, fullResync, allowLargeRemovals),
                Clock.systemUTC(), out).execute();
        out.print(report.table());
        return report.outcome == RunReport.Outcome.REFUSED ? MirrorCli.FAILED : MirrorCli.OK;
    }
}

package dev.audiencemirror.redrive;

import dev.audiencemirror.cli.Args;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.nightly.Destinations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code mirror redrive --config FILE}: sends the streaming job's refused Adestra operations again. */
public final class RedriveCommand implements MirrorCli.Command {

    @Override
    public String summary() {
        return "send the streaming job's refused Adestra operations again, unless a newer one for the key was sent";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = Args.config(config, args, i++);
                case "--help", "-h" -> {
                    out.println("Usage: bin/mirror redrive --config FILE");
                    out.println();
                    out.println("Reads the streaming job's Adestra dead letters (kafka.topics.dead-letter, or");
                    out.println("stream.dead-letter-dir/dead-letters/adestra/) and sends each refused operation again");
                    out.println("through the Adestra sink, unless a newer operation for its (contact, list) was applied");
                    out.println("or refused since. Fix the cause first (create the list, correct the contact).");
                    out.println("What it did goes to the same dead-letter output, so running it again sends nothing");
                    out.println("it got applied; operations refused again are tried again next time.");
                    out.println("The nightly run needs no redrive: its next run sends again what it could not.");
                    out.println();
                    out.println("Exit code 0 when every operation sent was applied, 1 when some were refused again");
                    out.println("or the run failed, 2 on bad usage or configuration.");
                    return MirrorCli.OK;
                }
                default -> throw new MirrorCli.UsageException("unknown option '" + args[i] + "' (try --help)");
            }
        }
        MirrorConfig resolved = Args.loadConfig(config, err);
        if (resolved == null) {
            return MirrorCli.USAGE;
        }
        Path sandboxState = Destinations.sandboxStateFile(resolved);
        Path work = sandboxState.getParent().resolveSibling("redrive");
        Files.createDirectories(work);
        Redrive.Report report = new Redrive(resolved, sandboxState, work).run();
        out.print(report.table());
        return report.refusedAgain() > 0 ? MirrorCli.FAILED : MirrorCli.OK;
    }
}

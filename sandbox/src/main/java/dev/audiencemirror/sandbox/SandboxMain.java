package dev.audiencemirror.sandbox;

import dev.audiencemirror.sandbox.state.StateFile;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone sandbox: {@code bin/mirror sandbox [options]} calls {@link #run}. It serves until the
 * JVM is asked to stop (Ctrl-C, SIGTERM) or the calling thread is interrupted, then writes the state file.
 */
public final class SandboxMain {

    private SandboxMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@code --show FILE}: what a state file holds (an embedded sandbox's, e.g. {@code run/sandbox/state.json}). */
    static int show(String[] args, PrintStream out) {
        if (args.length != 2) {
            out.println("sandbox: --show needs one state file, e.g. bin/mirror sandbox --show run/sandbox/state.json");
            return 2;
        }
        try {
            StateFile file = new StateFile(java.nio.file.Path.of(args[1]));
            StateFile.Snapshot s = file.load();
            if (s == null) {
                out.println("sandbox: " + file.path() + " does not exist");
                return 1;
            }
            out.println("sandbox state " + file.path());
            new java.util.TreeMap<>(s.adestraLists()).forEach((list, contacts) -> out.printf("Adestra list %d: %d contacts%s%n",
                    list, contacts.size(), contacts.isEmpty() ? "" : " (" + preview(contacts) + ")"));
            new java.util.TreeMap<>(s.taxonomyImports()).forEach((id, imp) -> {
                out.printf("Permutive import %s: %d segments%n", id, imp.segments().size());
                imp.segments().stream().sorted(java.util.Comparator.comparing(dev.audiencemirror.sandbox.taxonomy.Segment::code))
                        .forEach(seg -> out.printf("  %s  %s%n", seg.code(), seg.name()));
            });
            return 0;
        } catch (java.io.IOException e) {
            out.println("sandbox: " + e.getMessage());
            return 1;
        }
    }

    private static String preview(List<Long> contacts) {
        List<Long> sorted = contacts.stream().sorted().toList();
        String head = sorted.stream().limit(10).map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        return sorted.size() > 10 ? head + ", …" : head;
    }

    /**
     * Parses {@code args}, starts the sandbox and blocks while it serves.
     *
     * @return 0 after a normal stop or {@code --help}; 2 for a bad command line (the message names the
     *         flag); 1 if the server cannot start (port taken, unreadable state file)
     */
    public static int run(String[] args, PrintStream out) {
        if (args.length > 0 && args[0].equals("--show")) {
            return show(args, out);
        }
        SandboxOptions options;
        try {
            options = SandboxOptions.parse(args);
        } catch (SandboxOptions.UsageException e) {
            out.println("sandbox: " + e.getMessage());
            out.println("Run 'bin/mirror sandbox --help' for the options.");
            return 2;
        }
        if (options.help) {
            out.print(SandboxOptions.USAGE);
            return 0;
        }
        SandboxServer server;
        try {
            server = options.builder.build().start();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            out.println("sandbox: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        banner(server, out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Embedded callers (tests, the CLI's own shutdown) stop the sandbox by interrupting run().
            Thread.currentThread().interrupt();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running and closes the server.
            }
            server.close();
        }
        out.println("sandbox stopped");
        return 0;
    }

    private static void banner(SandboxServer s, PrintStream out) {
        String url = s.baseUrl();
        out.println("Audience Mirror sandbox listening on " + url);
        out.println("  Adestra   POST|DELETE " + url + "/contacts/{contact_id}/lists/{list_id}");
        out.println("            Authorization: " + s.adestraAuthScheme() + " " + s.adestraKey()
                + "   lists: " + (s.configuredLists().isEmpty() ? "(none)" : s.configuredLists())
                + (s.adestraDeleteAbsent404() ? "   DELETE of a non-member: 404" : ""));
        out.println("  Taxonomy  " + url + "/imports/{import_id}/segments   X-Api-Key: " + s.permutiveKey()
                + " (read-only: " + s.permutiveReadOnlyKey() + ")");
        out.println("            imports: " + (s.configuredImports().isEmpty() ? "(none)" : s.configuredImports()));
        out.println("            answers: " + (s.taxonomyRowErrors()
                ? "per-row errors inside a 200 (--taxonomy-row-errors)"
                : "the published contract (a refused batch is one 404/409, nothing applied)"));
        out.println("  Inspect   " + url + "/_sandbox/stats   " + url + "/_sandbox/log?since=0");
        out.println("  Seed " + s.seed() + "   faults: " + (s.faults().injectsNothing() ? "none" : s.faults())
                + "   state file: " + (s.stateFile() == null ? "(none, memory only)" : s.stateFile().toAbsolutePath()));
        out.flush();
    }
}

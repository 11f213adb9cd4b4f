package dev.audiencemirror.sandbox;

import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The standalone sandbox's command line, parsed into a server builder. */
final class SandboxOptions {

    static final int DEFAULT_PORT = 8089;

    static final String USAGE = String.join("\n",
            "Usage: bin/mirror sandbox [options]",
            "",
            "Runs a local HTTP server that behaves like the Adestra list API and the Permutive",
            "Taxonomy API, on one base URL, with fault injection and inspection under /_sandbox/.",
            "",
            "Server:",
            "  --port N                      port to listen on (default " + DEFAULT_PORT + "; 0 = any free port)",
            "  --host ADDR                   address to bind (default 127.0.0.1)",
            "  --lists 678,679               Adestra lists that exist (repeatable)",
            "  --import ID                   Taxonomy import that exists (repeatable, or comma-separated)",
            "  --adestra-key KEY             valid Adestra key (default " + SandboxServer.DEFAULT_ADESTRA_KEY + ")",
            "  --adestra-auth-scheme WORD    scheme of 'Authorization: WORD <key>' (default TOKEN)",
            "  --permutive-key KEY           valid Taxonomy key (default " + SandboxServer.DEFAULT_PERMUTIVE_KEY + ")",
            "  --permutive-readonly-key KEY  Taxonomy key that may read but not write",
            "                                (default " + SandboxServer.DEFAULT_PERMUTIVE_READONLY_KEY + ")",
            "  --state-file FILE             load state from FILE and keep it saved there",
            "  --seed N                      seed for batch shuffling and faults (default " + SandboxServer.DEFAULT_SEED + ")",
            "  --adestra-concurrency-limit N Adestra requests in flight per key before 429 (default 10)",
            "  --adestra-delete-absent-404   a DELETE of a contact not on the list answers 404 (default 204)",
            "  --threads N                   HTTP worker threads (default 64)",
            "  --taxonomy-row-errors         Taxonomy batches answer per-row errors inside a 200, as before the",
            "                                sandbox played Permutive's published contract (default: one",
            "                                404/409 for the whole batch, nothing applied; 400s in plain text)",
            "  --taxonomy-page-size N        segments per GET .../segments page (default 50)",
            "",
            "Faults (also settable at run time with PUT /_sandbox/faults):",
            "  --latency-ms N                delay every request by N ms",
            "  --latency-jitter-ms N         plus a random 0..N ms",
            "  --rate-429 R                  share of requests answered 429 (0..1)",
            "  --rate-500 R                  share answered 500",
            "  --rate-503 R                  share answered 503",
            "  --drop-rate R                 share whose connection is closed with no answer",
            "  --slow-rate R                 share answered only after --slow-ms",
            "  --slow-ms N                   lateness of a slow answer (default " + FaultConfig.DEFAULT_SLOW_MS + ")",
            "  --hold-rate R                 share held --hold-ms before they take effect (then answered)",
            "  --hold-ms N                   how long a held request waits (default " + FaultConfig.DEFAULT_HOLD_MS + ")",
            "  --fail-next N                 fail the next N requests",
            "  --fail-next-status S          status for --fail-next: 400-599, or 0 to drop (default 503)",
            "  --fail-after-apply-rate R     share of 5xx/drops that happen after the change was applied",
            "  --retry-after-s N             Retry-After on 429 answers (default 1)",
            "  --fault-scope all|adestra|taxonomy  which API faults apply to (default all)",
            "  --fault-seed N                seed for fault draws (default: --seed)",
            "",
            "Inspect:",
            "  --show FILE                   print the lists and segments a state file holds, and exit",
            "                                (the embedded sandbox's: run/sandbox/state.json)",
            "",
            "  -h, --help                    show this help",
            "");

    /** A command line the sandbox cannot run with; the message names the flag. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    final boolean help;
    final SandboxServer.Builder builder;

    private SandboxOptions(boolean help, SandboxServer.Builder builder) {
        this.help = help;
        this.builder = builder;
    }

    static SandboxOptions parse(String[] args) throws UsageException {
        SandboxServer.Builder b = SandboxServer.builder().port(DEFAULT_PORT);
        FaultConfig.Builder f = FaultConfig.builder();
        List<Long> lists = new ArrayList<>();
        List<String> imports = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new SandboxOptions(true, b);
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            if (arg.equals("--adestra-delete-absent-404")) { // a switch: takes no value
                b.adestraDeleteAbsent404(true);
                continue;
            }
            if (arg.equals("--taxonomy-row-errors")) {
                // A switch: it takes no value, so the next argument stays an argument.
                b.taxonomyRowErrors(true);
                continue;
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            if (!KNOWN.contains(flag)) {
                throw new UsageException("unknown flag " + flag);
            }
            if (value == null || value.isEmpty()) {
                throw new UsageException(flag + " needs a value");
            }
            switch (flag) {
                case "--port": b.port((int) whole(flag, value, 0, 65535)); break;
                case "--host": b.host(value); break;
                case "--lists":
                    for (String s : value.split(",")) {
                        if (!s.isBlank()) {
                            lists.add(whole(flag, s.trim(), 0, Long.MAX_VALUE));
                        }
                    }
                    break;
                case "--import":
                case "--imports":
                    for (String s : value.split(",")) {
                        if (!s.isBlank()) {
                            if (s.contains("/")) {
                                throw new UsageException(flag + ": '" + s + "' must not contain '/'");
                            }
                            imports.add(s.trim());
                        }
                    }
                    break;
                case "--adestra-key": b.adestraKey(value); break;
                case "--adestra-auth-scheme": b.adestraAuthScheme(value); break;
                case "--permutive-key": b.permutiveKey(value); break;
                case "--permutive-readonly-key": b.permutiveReadOnlyKey(value); break;
                case "--state-file": b.stateFile(Path.of(value)); break;
                case "--seed": b.seed(anyLong(flag, value)); break;
                case "--adestra-concurrency-limit": b.adestraConcurrencyLimit((int) whole(flag, value, 1, 100_000)); break;
                case "--threads": b.workerThreads((int) whole(flag, value, 1, 10_000)); break;
                case "--taxonomy-row-errors": b.taxonomyRowErrors(bool(flag, value)); break;
                case "--taxonomy-page-size": b.taxonomyPageSize((int) whole(flag, value, 1, 100_000)); break;
                case "--latency-ms": f.latencyMs(whole(flag, value, 0, Long.MAX_VALUE)); break;
                case "--latency-jitter-ms": f.latencyJitterMs(whole(flag, value, 0, Long.MAX_VALUE)); break;
                case "--rate-429": f.rate429(rate(flag, value)); break;
                case "--rate-500": f.rate500(rate(flag, value)); break;
                case "--rate-503": f.rate503(rate(flag, value)); break;
                case "--drop-rate": f.dropRate(rate(flag, value)); break;
                case "--slow-rate": f.slowRate(rate(flag, value)); break;
                case "--slow-ms": f.slowMs(whole(flag, value, 0, Long.MAX_VALUE)); break;
                case "--hold-rate": f.holdRate(rate(flag, value)); break;
                case "--hold-ms": f.holdMs(whole(flag, value, 0, Long.MAX_VALUE)); break;
                case "--fail-next": f.failNext((int) whole(flag, value, 0, Integer.MAX_VALUE)); break;
                case "--fail-next-status": {
                    int s = (int) whole(flag, value, 0, 599);
                    if (s != 0 && s < 400) {
                        throw new UsageException(flag + ": must be 0 (drop) or 400-599, got " + s);
                    }
                    f.failNextStatus(s);
                    break;
                }
                case "--fail-after-apply-rate": f.failAfterApplyRate(rate(flag, value)); break;
                case "--retry-after-s": f.retryAfterSeconds((int) whole(flag, value, 0, 86_400)); break;
                case "--fault-scope":
                    try {
                        f.scope(FaultConfig.Scope.parse(value));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(flag + ": " + e.getMessage());
                    }
                    break;
                case "--fault-seed": f.seed(anyLong(flag, value)); break;
                default: throw new UsageException("unknown flag " + flag);
            }
        }
        try {
            b.faults(f.build());
        } catch (IllegalArgumentException e) {
            throw new UsageException("fault flags: " + e.getMessage());
        }
        b.lists(lists).imports(imports);
        try {
            b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new SandboxOptions(false, b);
    }

    private static final List<String> KNOWN = List.of("--port", "--host", "--lists", "--import", "--imports",
            "--adestra-key", "--adestra-auth-scheme", "--permutive-key", "--permutive-readonly-key", "--state-file",
            "--seed", "--adestra-concurrency-limit", "--threads", "--latency-ms", "--latency-jitter-ms",
            "--rate-429", "--rate-500", "--rate-503", "--drop-rate", "--slow-rate", "--slow-ms", "--hold-rate",
            "--hold-ms", "--fail-next", "--fail-next-status", "--fail-after-apply-rate", "--retry-after-s", "--fault-scope", "--fault-seed",
            "--taxonomy-row-errors", "--taxonomy-page-size");

    private static long whole(String flag, String value, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + value + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new UsageException(flag + ": must be " + min + (max == Long.MAX_VALUE ? " or more" : "-" + max)
                    + ", got " + v);
        }
        return v;
    }

    private static boolean bool(String flag, String value) throws UsageException {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new UsageException(flag + ": must be true or false, got '" + value + "'");
    }

    private static long anyLong(String flag, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + value + "' is not a whole number");
        }
    }

    private static double rate(String flag, String value) throws UsageException {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + value + "' is not a number");
        }
        if (!(v >= 0 && v <= 1)) {
            throw new UsageException(flag + ": must be between 0 and 1, got " + value);
        }
        return v;
    }
}

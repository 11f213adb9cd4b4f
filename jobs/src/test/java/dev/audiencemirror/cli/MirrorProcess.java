package dev.audiencemirror.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code bin/mirror}'s JVM as a child process: the real main ({@link MirrorCli}) on this test's
 * class path, with the JVM options bin/mirror gives it, its own {@code java.io.tmpdir}, and its
 * output (stdout and stderr) in a file. For what only a process of its own shows: signals, exit
 * codes, what is left on disk after it.
 */
public final class MirrorProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private MirrorProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code MirrorCli args...} with {@code java.io.tmpdir} at {@code tmpDir}, output to {@code output}. */
    public static MirrorProcess start(Path tmpDir, Path output, String... args) throws IOException {
        return start(tmpDir, output, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with these environment variables set too. */
    public static MirrorProcess start(Path tmpDir, Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
        command.add("-Djava.io.tmpdir=" + tmpDir);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MirrorCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new MirrorProcess(p, output);
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}), as Ctrl-C or {@code kill} would. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed");
        }
    }

    /** Whether the JVM would run its shutdown hooks on {@code signal}: not when the signal was ignored when it started. */
    public boolean handles(int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                return (ignored & (1L << (signal - 1))) == 0;
            }
        }
        return true;
    }

    /** The exit code, after waiting up to {@code timeout} for the process to end. */
    public int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("mirror " + process.pid() + " still runs after " + timeout + "; it printed:\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits until a line it printed matches, or fails with what it printed. */
    public String awaitLine(Predicate<String> line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var found = output().lines().filter(line).reduce((a, b) -> b);
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("mirror ended (exit " + process.exitValue() + ") before the line; it printed:\n"
                        + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such line after " + timeout + "; it printed:\n" + output());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

package dev.audiencemirror.cli;

import java.io.File;
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
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code bin/mirror} as a child process: the real launcher script, which execs a JVM running the
 * real main ({@link MirrorCli}) from this test's class path, with its own temp directory and its
 * output (stdout and stderr) in a file. For what only a process of its own shows: signals sent to
 * the launcher, exit codes, what is left on disk after it.
 */
public final class MirrorProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private MirrorProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code bin/mirror args...} with {@code java.io.tmpdir} at {@code tmpDir} ({@code TMPDIR}),
     * output to {@code output}. The real launcher script runs, from a root of its own ({@link #launcherRoot})
     * whose job jar is this test's class path, so the JVM it starts runs the main as compiled now.
     * SIGINT is reset to its default first: a process started with it ignored (a background job of a
     * script, CI) would pass that on, and a JVM that starts with SIGINT ignored never hears Ctrl-C.
     */
    public static MirrorProcess start(Path tmpDir, Path output, String... args) throws IOException {
        return start(tmpDir, output, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with these environment variables set too. */
    public static MirrorProcess start(Path tmpDir, Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                launcherRoot().resolve("bin/mirror").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("TMPDIR", tmpDir.toString());
        builder.environment().put("MIRROR_JAVA_OPTS", "-Xmx512m");
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv("PATH"));
        builder.environment().putAll(env);
        return new MirrorProcess(builder.start(), output);
    }

    private static Path launcherRoot;

    /**
     * A copy of the repository's {@code bin/mirror} and {@code conf/log4j2-local.properties} beside
     * the files the script reads from {@code jobs/target}: an empty job jar, the "provided" class
     * path (this test's), the JVM options (this JVM's {@code --add-opens}). Nothing in it is newer
     * than the jar, so the script does not build.
     */
    static synchronized Path launcherRoot() throws IOException {
        if (launcherRoot != null) {
            return launcherRoot;
        }
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path root = Files.createTempDirectory("mirror-launcher");
        Path target = Files.createDirectories(root.resolve("jobs/target/launcher"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("conf"));
        Files.copy(repo.resolve("conf/log4j2-local.properties"), root.resolve("conf/log4j2-local.properties"));
        Files.writeString(target.resolve("jvm-options"), String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()
                .stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList()) + "\n");
        Files.writeString(root.resolve("jobs/target/provided-classpath.txt"), System.getProperty("java.class.path"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(root.resolve("jobs/target/audience-mirror-jobs-test.jar")),
                new Manifest())) {
            jar.flush();
        }
        Path script = Files.copy(repo.resolve("bin/mirror"), root.resolve("bin/mirror"));
        script.toFile().setExecutable(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var all = Files.walk(root)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // a few small files left in the temp directory
            }
        }));
        launcherRoot = root;
        return root;
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

package dev.audiencemirror.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples are what the shipped files produce: its first command's output (the
 * nightly run over {@code examples/} with {@code conf/local.yaml}) and the streaming demo's status
 * line (with {@code conf/local-stream.yaml}, the example files dropped as the README says), each
 * run here with the real {@code bin/mirror} on copies of the shipped configs whose {@code run/} folder is the test's. Times, run ids
 * and checkpoint numbers are the only things masked.
 */
class ReadmeExamplesITCase {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path README = ROOT.resolve("README.md");

    @TempDir
    Path dir;

    @Test
    void theFirstCommandPrintsWhatTheReadmeShowsAndASecondRunSendsNothing() throws Exception {
        Path config = shippedConfig("local.yaml", "");
        String readme = block(Files.readString(README), "**What the first command does.**");

        String first = nightly(config);
        assertThat(normalized(first)).as("the README's example of the first command").contains(normalized(readme));

        String second = nightly(config);
        assertThat(second).as("the README: run it again and it sends nothing").contains("nothing to send");
    }

    @Test
    void theStreamingDemoPrintsTheStatusLineTheReadmeShows() throws Exception {
        Path config = shippedConfig("local-stream.yaml", "  status-interval: 1s\n");
        String readme = block(Files.readString(README), "**Status line.**").strip();
        Files.createDirectories(dir.resolve("tmp"));
        try (MirrorProcess stream = MirrorProcess.start(dir.resolve("tmp"), dir.resolve("stream.log"),
                "stream", "--config", config.toString())) {
            stream.awaitLine(l -> l.startsWith("status "), Duration.ofSeconds(90));
            long events = Files.lines(ROOT.resolve("examples/events.jsonl")).count();
            drop("examples/events.jsonl", "run/stream/inbox/events", "e1.jsonl");
            stream.awaitLine(l -> l.contains("events " + events + " read"), Duration.ofSeconds(60));
            drop("examples/identities.jsonl", "run/stream/inbox/identities", "i1.jsonl");
            // Settled: everything read, nothing pending, and the same counts on two lines in a row.
            String settled = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                List<String> lines = stream.output().lines().filter(l -> l.startsWith("status ")).toList();
                String last = lines.get(lines.size() - 1);
                String before = lines.size() > 1 ? lines.get(lines.size() - 2) : "";
                if (last.contains("identities 3000 read") && last.contains(" 0 pending") && counts(last).equals(counts(before))) {
                    settled = last;
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(settled).as("a settled status line; the stream printed:%n%s", stream.output()).isNotNull();
            assertThat(normalized(settled)).as("the README's status line example").isEqualTo(normalized(readme));
            stream.signal("TERM");
        }
    }

    /** A shipped config with its {@code run/} and {@code examples/} folders resolved: the test's, and the repository's. */
    private Path shippedConfig(String name, String streamExtra) throws IOException {
        String yaml = Files.readString(ROOT.resolve("conf").resolve(name));
        yaml = yaml.replaceAll("(?m)(:\\s+)examples/", "$1" + ROOT.resolve("examples") + "/")
                .replaceAll("(?m)(:\\s+)run/", "$1" + dir.resolve("run") + "/");
        if (!streamExtra.isEmpty()) {
            yaml = yaml.replaceFirst("(?m)^stream:\\n", "stream:\n" + streamExtra);
        }
        Path out = dir.resolve(name);
        Files.writeString(out, yaml);
        return out;
    }

    private void drop(String example, String folder, String name) throws IOException {
        Path target = dir.resolve(folder).resolve(name);
        Path tmp = target.resolveSibling(".tmp");
        Files.copy(ROOT.resolve(example), tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code bin/mirror nightly --config config} in a process of its own, as the README runs it. */
    private String nightly(Path config) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path log = Files.createTempFile(dir, "nightly", ".log");
        try (MirrorProcess run = MirrorProcess.start(dir.resolve("tmp"), log, "nightly", "--config", config.toString())) {
            assertThat(run.exitCode(Duration.ofSeconds(120))).as("exit code; it printed:%n%s", run.output()).isZero();
            return run.output();
        }
    }

    /** The first fenced block after {@code marker} in the README. */
    private static String block(String readme, String marker) {
        int at = readme.indexOf(marker);
        assertThat(at).as("the README has %s", marker).isNotNegative();
        int open = readme.indexOf("```\n", at) + 4;
        return readme.substring(open, readme.indexOf("```", open));
    }

    /** The status line's counts, without its time and the checkpoint's age. */
    private static String counts(String statusLine) {
        return normalized(statusLine);
    }

    /** Progress lines dropped; times, durations, run ids, checkpoint numbers and the test's folders masked; trailing blanks dropped. */
    private static String normalized(String text) {
        // Progress lines come every 5 s when piped: how many depends on the machine's speed.
        String s = text.replaceAll("(?m)^(plan|push): .*\\n", "")
                .replaceAll("\\d{8}T\\d{6}Z", "<run>")
                .replaceAll("\\d+(\\.\\d+)? s\\b", "<t> s")
                .replaceAll("status \\d\\d:\\d\\d:\\d\\d", "status <time>")
                .replaceAll("last checkpoint \\d+", "last checkpoint <n>")
                .replaceAll("(?m)[ \\t]+$", "");
        Matcher abs = Pattern.compile("/\\S*/run/").matcher(s);
        return abs.replaceAll("run/").replace("run/runs/<run>/", "run/runs/…/");
    }
}

package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorProcess;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirror stream --resume} in file mode, as a user runs it: the command in a process of
 * its own, stopped as {@code kill} stops it (SIGTERM to the launcher: exit 143, a last line naming
 * the checkpoint kept, no temp folder left), started again with {@code --resume} from that checkpoint. The
 * files the first run read are not read again (the second run's counts, and the sandbox's request
 * log: only the users a new file touches are asserted again), a new file is.
 */
class StreamResumeITCase {

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("a887f65b-f915-5d3d-9644-4c16e452ca71").build();

    @TempDir
    Path dir;

    private static final Pattern STATUS = Pattern.compile(
            "status \\S+: identities (\\d+) read.*, events (\\d+) read.*; list operations (\\d+) sent \\((\\d+) applied, 0 dead letters\\),"
                    + " (\\d+) pending.*; last checkpoint (\\d+),.*");

    private static String identity(String user, long contact) {
        return "{\"user_id\":\"" + user + "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"" + contact
                + "\",\"priority\":1}],\"time\":\"2026-11-27T08:00:00Z\"}";
    }

    private static String event(String name, String user, String cohort, int second) {
        return "{\"name\":\"" + name + "\",\"user_id\":\"" + user + "\",\"properties\":{\"segment_id\":\"" + cohort
                + "\"},\"time\":\"2026-11-27T09:00:" + String.format("%02d", second) + "Z\"}";
    }

    private Path config() throws Exception {
        return TestConfig.of(SANDBOX, dir)
                .sandboxKeysInFiles()
                .activations("c1: 678, c2: 679")
                .taxonomy("import-id: a887f65b-f915-5d3d-9644-4c16e452ca71")
                .watchedFolders(dir.resolve("in"))
                .stream("window: 200ms", "dead-letter-dir: " + dir.resolve("stream"), "watch-interval: 200ms",
                        "status-interval: 1s")
                // A bare path, as a deployment's config may give it.
                .flink("execution.checkpointing.interval: 200 ms", "execution.checkpointing.dir: " + dir.resolve("checkpoints"))
                .write("stream.yaml");
    }

    @Test
    void aResumedRunReadsOnlyTheFilesTheFirstDidNotRead() throws Exception {
        Path config = config();
        Files.createDirectories(dir.resolve("tmp"));
        String stopped;
        long settledCheckpoint;
        List<String> identities = List.of(identity("u1", 7001), identity("u2", 7002), identity("u3", 7003));
        List<String> events = List.of(event("SegmentEntry", "u1", "c1", 1), event("SegmentEntry", "u2", "c1", 2),
                event("SegmentEntry", "u3", "c2", 3), event("SegmentEntry", "u1", "c2", 4));

        try (MirrorProcess first = MirrorProcess.start(dir.resolve("tmp"), dir.resolve("first.log"),
                "stream", "--config", config.toString())) {
            first.awaitLine(l -> l.contains("Ctrl-C to stop."), Duration.ofSeconds(60));
            moveIn(dir.resolve("in/events"), "events-1.jsonl", events);
            moveIn(dir.resolve("in/identities"), "identities-1.jsonl", identities);
            awaitLists(Map.of(678L, Set.of(7001L, 7002L), 679L, Set.of(7001L, 7003L)));
            // Settled: every operation applied and nothing pending, then three more checkpoints.
            Matcher settled = STATUS.matcher(first.awaitLine(l -> matches(l, "3", "4", "4", "4", "0"), Duration.ofSeconds(30)));
            assertThat(settled.matches()).isTrue();
            long checkpoint = Long.parseLong(settled.group(6));
            settledCheckpoint = checkpoint;
            first.awaitLine(l -> STATUS.matcher(l).matches() && checkpointOf(l) >= checkpoint + 3, Duration.ofSeconds(30));
            // As kill, timeout or a service manager stops it: SIGTERM to the launcher's process.
            first.signal("TERM");
            assertThat(first.exitCode(Duration.ofSeconds(15))).as(first.output()).isEqualTo(143);
            // The terminal: the start, the banner, status lines and the closing line; the log is in the run folder.
            assertThat(first.output()).containsOnlyOnce("log: " + dir.resolve("stream").resolve("mirror.log"))
                    .doesNotContain(" INFO ").doesNotContain(" WARN ");
            assertThat(dir.resolve("stream").resolve("mirror.log")).content().contains("Adestra sender 1 of ");
            List<String> closing = first.output().lines().filter(l -> l.startsWith("stopped")).toList();
            assertThat(closing).as(first.output()).hasSize(1);
            stopped = closing.get(0);
        }
        Matcher kept = Pattern.compile("stopped; checkpoint chk-(\\d+) kept \\((\\S+)\\); --resume starts from it \\(.*\\)")
                .matcher(stopped);
        assertThat(kept.matches()).as(stopped).isTrue();
        assertThat(Long.parseLong(kept.group(1))).isGreaterThanOrEqualTo(settledCheckpoint + 3);
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertThat(left.toList()).as("temp folders left by the stopped run").isEmpty();
        }
        long afterFirst = lastSeq();
        String resumedFrom;

        List<String> moreEvents = List.of(event("SegmentExit", "u1", "c1", 10), event("SegmentEntry", "u3", "c1", 11));
        try (MirrorProcess second = MirrorProcess.start(dir.resolve("tmp"), dir.resolve("second.log"),
                "stream", "--config", config.toString(), "--resume")) {
            second.awaitLine(l -> l.startsWith("start: "), Duration.ofSeconds(60));
            String resumed = second.output().lines().findFirst().orElseThrow();
            resumedFrom = resumed;
            // The checkpoint the stopped run said it kept (or one that completed while it stopped).
            assertThat(resumed).startsWith("start: restoring from checkpoint " + kept.group(2).replaceAll("chk-\\d+$", "chk-"))
                    .contains(dir.resolve("checkpoints").toString());
            second.awaitLine(l -> l.contains("Ctrl-C to stop."), Duration.ofSeconds(60));
            moveIn(dir.resolve("in/events"), "events-2.jsonl", moreEvents);
            awaitLists(Map.of(678L, Set.of(7002L, 7003L), 679L, Set.of(7001L, 7003L)));
            // What this run read: the new file only. What it sent: that file's two changes, and the
            // other list of each user it touched once more (restored state: what the first run sent
            // after its last checkpoint is not known, so a restored user's lists are re-asserted).
            second.awaitLine(l -> matches(l, "0", "2", "4", "4", "0"), Duration.ofSeconds(30));
            assertThat(second.output()).doesNotContainPattern("identities [1-9]\\d* read");
            assertThat(adestraCallsSince(afterFirst)).containsExactlyInAnyOrder("DELETE 7001 678", "POST 7003 678",
                    "POST 7001 679", "POST 7003 679");
        }
        // Each run's checkpoints are in a folder of its job: the next resume starts from the second
        // run's and removes the first run's, which nothing needs any more.
        List<Path> jobs;
        try (Stream<Path> all = Files.list(dir.resolve("checkpoints"))) {
            jobs = all.filter(Files::isDirectory).toList();
        }
        assertThat(jobs).hasSize(2);
        assertThat(dir.resolve("checkpoints").resolve(CheckpointDirOwner.FILE)).content().isEqualTo("watched folders\n");
        RetainedCheckpoints.Newest next = RetainedCheckpoints.find(dir.resolve("checkpoints").toUri().toString()).orElseThrow();
        Matcher from = Pattern.compile("start: restoring from checkpoint (\\S+), .*").matcher(resumedFrom);
        assertThat(from.matches()).isTrue();
        org.apache.flink.core.fs.Path firstJob = new org.apache.flink.core.fs.Path(from.group(1)).getParent();
        assertThat(next.supersededJobs()).containsExactly(firstJob);
        assertThat(next.checkpoint().getParent()).isNotEqualTo(firstJob);
    }

    private static boolean matches(String line, String identities, String events, String sent, String applied, String pending) {
        Matcher m = STATUS.matcher(line);
        return m.matches() && m.group(1).equals(identities) && m.group(2).equals(events) && m.group(3).equals(sent)
                && m.group(4).equals(applied) && m.group(5).equals(pending);
    }

    private static long checkpointOf(String line) {
        Matcher m = STATUS.matcher(line);
        return m.matches() ? Long.parseLong(m.group(6)) : -1;
    }

    private static void awaitLists(Map<Long, Set<Long>> expected) throws InterruptedException {
        SortedMap<Long, SortedSet<Long>> want = new TreeMap<>();
        expected.forEach((list, contacts) -> want.put(list, new TreeSet<>(contacts)));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!SANDBOX.client().contactsByList(678, 679).equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(want);
    }

    private static long lastSeq() {
        List<LogEntry> log = SANDBOX.client().log(0);
        return log.isEmpty() ? 0 : log.get(log.size() - 1).seq() + 1;
    }

    /** Adestra list calls since {@code seq}, as "POST 7001 678" / "DELETE 7001 678". */
    private static List<String> adestraCallsSince(long seq) {
        return SANDBOX.client().log(seq).stream()
                .filter(e -> e.endpoint().equals(Endpoint.ADESTRA_ADD.label()) || e.endpoint().equals(Endpoint.ADESTRA_REMOVE.label()))
                .map(e -> {
                    String[] p = e.path().split("/");
                    return e.method() + " " + p[2] + " " + p[4];
                })
                .collect(Collectors.toList());
    }

    private static void moveIn(Path folder, String name, List<String> lines) throws Exception {
        Files.createDirectories(folder);
        Path tmp = folder.resolve("." + name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}

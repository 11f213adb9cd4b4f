package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.config.MirrorConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One nightly mirror run, start to end: plan (a batch job), safety checks, then push (a second
 * batch job) and commit of the new snapshot, leaving out whatever a destination refused so that
 * the next run retries it. A dry run stops after the plan; a refused run sends nothing.
 */
public final class NightlyRun {
    private static final Logger LOG = LoggerFactory.getLogger(NightlyRun.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Operations shown per list (and for the import) in a dry run's terminal plan. */
    static final int PREVIEW = 5;

    /** How to run. */
    public record Options(boolean dryRun, boolean fullResync, boolean allowLargeRemovals) {}

    private final MirrorConfig config;
    private final Options options;
    private final Clock clock;
    private final PrintStream progress;

    public NightlyRun(MirrorConfig config, Options options, Clock clock, PrintStream progress) {
        this.config = config;
        this.options = options;
        this.clock = clock;
        this.progress = progress;
    }

    /** Runs; the report says what happened (its outcome REFUSED when a safety check stopped it). */
    public RunReport execute() throws Exception {
        long started = clock.millis();
        RunReport report = new RunReport();
        report.runId = RUN_ID.format(clock.instant());
        report.runDir = newRunDir(report.runId);
        report.importId = config.inputs().segments().isPresent() ? config.taxonomy().importId() : null;

        SnapshotStore store = new SnapshotStore(config.nightly().stateDir());
        Optional<String> previousId = store.current();
        PlanJob.Previous previous = previousId.isEmpty() ? null : previous(store, previousId.get());
        org.apache.flink.core.fs.Path baseline = options.dryRun()
                ? flinkPath(report.runDir.resolve("baseline"))
                : store.snapshotDir(report.runId);
        PlanJob.Layout layout = PlanJob.Layout.of(flinkPath(report.runDir), baseline);
        Configuration flinkConf = Configuration.fromMap(config.flink());

        progress.printf("planning: reading inputs and the last synced snapshot (%s)...%n", previousId.orElse("none yet"));
        JobExecutionResult plan = PlanJob.run(config, flinkConf, options.fullResync(), previous, layout);
        readCounts(plan.getAllAccumulatorResults(), report);
        report.planFile = writePlanFile(report);
        checkSafety(report);

        if (!report.refusals.isEmpty()) {
            report.outcome = RunReport.Outcome.REFUSED;
        } else if (options.dryRun()) {
            report.outcome = RunReport.Outcome.DRY_RUN;
        } else {
            long total = report.listOperations() + report.segmentOperations();
            SnapshotStore.Corrections corrections = new SnapshotStore.Corrections();
            if (total == 0) {
                report.outcome = RunReport.Outcome.NOTHING_TO_DO;
            } else {
                progress.printf("pushing %d list operations and %d segment operations...%n", report.listOperations(),
                        report.segmentOperations());
                try (Destinations dest = Destinations.open(config, sandboxStateFile())) {
                    PushJob.run(config, flinkConf, layout, dest, flinkPath(report.runDir.resolve("dead-letters")),
                            clock.millis(), report.listOperations() > 0, report.segmentOperations() > 0);
                }
                readDeadLetters(report, corrections);
                report.outcome = RunReport.Outcome.PUSHED;
            }
            store.commit(report.runId, corrections);
        }
        report.durationMillis = clock.millis() - started;
        report.writeJson();
        return report;
    }

    private PlanJob.Previous previous(SnapshotStore store, String id) throws IOException {
        org.apache.flink.core.fs.Path pairs = store.pairsDir(id);
        org.apache.flink.core.fs.Path segments = store.segmentsDir(id);
        return new PlanJob.Previous(
                pairs.getFileSystem().exists(pairs) ? pairs : null,
                segments.getFileSystem().exists(segments) ? segments : null,
                store.corrections(id));
    }

    private Path newRunDir(String runId) throws IOException {
        Path dir = config.nightly().runsDir().resolve(runId);
        for (int i = 1; Files.exists(dir); i++) {
            dir = config.nightly().runsDir().resolve(runId + "-" + i);
        }
        return Files.createDirectories(dir);
    }

    /** The embedded sandbox keeps its lists next to the runs, so consecutive local runs see one destination. */
    private Path sandboxStateFile() {
        Path runs = config.nightly().runsDir().toAbsolutePath();
        return runs.getParent().resolve("sandbox").resolve("state.json");
    }

    private void readCounts(Map<String, Object> acc, RunReport report) {
        for (String input : List.of("identities", "memberships", "segments")) {
            if (acc.containsKey(ParseAndMap.counter(input, "lines"))) {
                report.inputs.put(input, new RunReport.InputCounts(count(acc, ParseAndMap.counter(input, "lines")),
                        count(acc, ParseAndMap.counter(input, "rejected")), count(acc, ParseAndMap.counter(input, "ignored"))));
            }
        }
        for (long list : config.activations().values()) {
            RunReport.ListCounts c = report.lists.computeIfAbsent(list, l -> new RunReport.ListCounts());
            c.synced = count(acc, ListDiff.counter(list, "synced"));
            c.target = count(acc, ListDiff.counter(list, "target"));
            c.adds = count(acc, ListDiff.counter(list, "adds"));
            c.removes = count(acc, ListDiff.counter(list, "removes"));
        }
        report.usersWithoutContact = count(acc, UserListJoin.UNMATCHED_COUNTER);
        report.segmentsSynced = count(acc, SegmentDiff.SYNCED);
        report.creates = count(acc, SegmentDiff.CREATES);
        report.updates = count(acc, SegmentDiff.UPDATES);
        report.deletes = count(acc, SegmentDiff.DELETES);
    }

    private static long count(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** A broken export must not empty lists: too many rejects, or too large a removal, stop the run. */
    private void checkSafety(RunReport report) {
        double threshold = config.nightly().rejectThreshold();
        report.inputs.forEach((name, c) -> {
            if (c.lines() > 0 && (double) c.rejected() / c.lines() > threshold) {
                report.refusals.add(String.format(
                        "%s: %d of %d lines rejected (%.2f%%), above nightly.reject-threshold %.2f%%; see %s",
                        name, c.rejected(), c.lines(), 100.0 * c.rejected() / c.lines(), 100 * threshold,
                        report.runDir.resolve("rejects")));
            }
        });
        if (!options.allowLargeRemovals()) {
            double ceiling = config.nightly().maxRemovalRatio();
            report.lists.forEach((id, c) -> {
                if (c.synced > 0 && (double) c.removes / c.synced > ceiling) {
                    report.refusals.add(String.format(
                            "list %d: would remove %d of its %d contacts (%.1f%%), above nightly.max-removal-ratio %.1f%%;"
                                    + " if that is intended, run again with --allow-large-removals",
                            id, c.removes, c.synced, 100.0 * c.removes / c.synced, 100 * ceiling));
                }
            });
        }
    }

    /** Gathers the plan's part files into one {@code plan.jsonl}, and the first operations for the terminal. */
    private Path writePlanFile(RunReport report) throws IOException {
        Path planFile = report.runDir.resolve("plan.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(planFile, StandardCharsets.UTF_8)) {
            for (String kind : List.of("list-ops", "segment-ops")) {
                for (Path part : parts(report.runDir.resolve("plan").resolve(kind))) {
                    try (Stream<String> lines = Files.lines(part, StandardCharsets.UTF_8)) {
                        lines.filter(l -> !l.isBlank()).forEach(line -> {
                            write(out, line);
                            preview(report, line);
                        });
                    }
                }
            }
        }
        return planFile;
    }

    private static void preview(RunReport report, String line) {
        JsonNode n = PlannedOperation.read(line);
        if (n.get("destination").asText().equals("adestra")) {
            RunReport.ListCounts c = report.lists.get(n.get("list_id").asLong());
            if (c != null && c.preview.size() < PREVIEW) {
                c.preview.add(n.get("action").asText() + " contact " + n.get("contact_id").asText() + " list " + n.get("list_id").asLong());
            }
        } else if (report.segmentPreview.size() < PREVIEW) {
            report.segmentPreview.add(n.get("action").asText() + " segment " + n.get("code").asText());
        }
    }

    private void readDeadLetters(RunReport report, SnapshotStore.Corrections corrections) throws IOException {
        for (Path part : parts(report.runDir.resolve("dead-letters"))) {
            try (Stream<String> lines = Files.lines(part, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isBlank()) {
                        continue;
                    }
                    report.deadLetters++;
                    JsonNode d = PlannedOperation.read(line);
                    JsonNode op = d.get("operation");
                    if (d.get("destination").asText().equals("adestra")) {
                        String action = op.get("action").asText();
                        long list = op.get("list_id").asLong();
                        corrections.failedListOperation(action, op.get("contact_id").asText(), list);
                        RunReport.ListCounts c = report.lists.computeIfAbsent(list, l -> new RunReport.ListCounts());
                        if (action.equals("ADD")) {
                            c.failedAdds++;
                        } else {
                            c.failedRemoves++;
                        }
                    } else {
                        // The Taxonomy sink's dead letter holds the row as sent: {"item":{"operation":"Create","data":{"code":…}}}
                        JsonNode item = op.path("item");
                        String action = item.path("operation").asText().toUpperCase(java.util.Locale.ROOT);
                        String code = item.hasNonNull("code") ? item.get("code").asText() : item.path("data").path("code").asText();
                        corrections.failedSegmentOperation(action, code);
                        report.segmentFailures++;
                    }
                }
            }
        }
        if (!corrections.isEmpty()) {
            LOG.warn("{} operations were refused; the snapshot leaves them out so the next run retries them", corrections.size());
        }
    }

    /** The finished part files of a file sink's output folder (in-progress files start with a dot). */
    private static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path local) {
        return new org.apache.flink.core.fs.Path(local.toAbsolutePath().toUri());
    }

    private static void write(BufferedWriter out, String line) {
        try {
            out.write(line);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

package dev.audiencemirror.nightly;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.StreamJobConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.connector.taxonomy.TaxonomyImportCodes;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.kafka.KafkaPreflight;
import dev.audiencemirror.membership.CsvColumns;
import dev.audiencemirror.progress.JobProgress;
import dev.audiencemirror.progress.ProgressPrinter;
import dev.audiencemirror.runlog.RunLog;
import dev.audiencemirror.tmp.RunTempDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One nightly mirror run, start to end, under the state directory's lock: inputs checked, plan
 * (a batch job), safety checks, the push recorded in the journal, push (a second batch job), and
 * the commit of the new snapshot, which clears the push records it covered. A dry run stops
 * after the plan; a refused run sends nothing. Every outcome, failures included, ends in a
 * report.
 */
public final class NightlyRun {
    private static final String LOCAL_MANAGED_MEMORY = "32m";

    private static final Logger LOG = LoggerFactory.getLogger(NightlyRun.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** How to run. */
    /** @param asOf the export's as-of time ({@code --as-of}), else read from {@code inputs.as-of} when needed */
    public record Options(boolean dryRun, boolean fullResync, boolean allowLargeRemovals, Optional<Instant> asOf) {
        public Options(boolean dryRun, boolean fullResync, boolean allowLargeRemovals) {
            this(dryRun, fullResync, allowLargeRemovals, Optional.empty());
        }
    }

    private final MirrorConfig config;
    private final Options options;
    private final Clock clock;
    private final ProgressPrinter progress;

    /** Progress as plain lines on {@code progress}. */
    public NightlyRun(MirrorConfig config, Options options, Clock clock, PrintStream progress) {
        this(config, options, clock, ProgressPrinter.plain(progress));
    }

    public NightlyRun(MirrorConfig config, Options options, Clock clock, ProgressPrinter progress) {
        this.config = config;
        this.options = options;
        this.clock = clock;
        this.progress = progress;
    }

    /** Runs; the report says what happened, failures included (never throws for a failed run). */
    public RunReport execute() throws IOException {
        long started = clock.millis();
        RunReport report = new RunReport();
        report.runId = RUN_ID.format(clock.instant());
        report.runDir = newRunDir(report.runId);
        report.logFile = RunLog.to(report.runDir.resolve("mirror.log")).orElse(null);
        report.importId = config.inputs().segments().isPresent() ? config.taxonomy().importId() : null;
        if (config.adestra().baseUrl().isEmbedded() || config.taxonomy().baseUrl().isEmbedded()) {
            report.sandboxState = Destinations.sandboxStateFile(config);
        }
        try (StateLock lock = StateLock.acquire(config.nightly().stateDir(), report.runId, clock)) {
            report.outcome = run(report);
        } catch (StateLock.HeldException e) {
            fail(report, RunReport.Outcome.LOCKED, e);
        } catch (NightlyInputs.InvalidException e) {
            fail(report, RunReport.Outcome.INVALID_INPUT, e);
        } catch (Exception e) {
            fail(report, RunReport.Outcome.FAILED, e);
            LOG.error("nightly run {} failed", report.runId, e);
        }
        report.durationMillis = clock.millis() - started;
        report.writeJson();
        return report;
    }

    private static void fail(RunReport report, RunReport.Outcome outcome, Exception e) {
        report.outcome = outcome;
        report.failure = dev.audiencemirror.errors.RootCause.of(e);
        report.failureException = e;
    }

    private RunReport.Outcome run(RunReport report) throws Exception {
        Map<String, CsvColumns> layouts = NightlyInputs.check(config);
        ListOwnership ownership = ListOwnership.of(config);
        Handoff handoff = null;
        if (ownership.handsOff()) {
            handoff = new Handoff(config.aliasTag(), ExportAsOf.resolve(config, options.asOf(), clock),
                    ownership.handedOff().keySet());
            report.handoff = new RunReport.HandoffCounts();
            report.handoff.streamConfig = ownership.streamJob().orElseThrow().source();
            report.handoff.target = ownership.streamJob().orElseThrow().assertionsTarget();
            report.handoff.asOf = handoff.asOf();
            handoffTargetExists(ownership.streamJob().orElseThrow());
        }
        SnapshotStore store = new SnapshotStore(config.nightly().stateDir());
        Optional<String> previousId = store.current();
        List<org.apache.flink.core.fs.Path> unfinished = store.journal().unfinished();
        report.unfinishedPushes = unfinished.size();
        PlanJob.Previous previous = previous(store, previousId, unfinished);
        org.apache.flink.core.fs.Path baseline = options.dryRun()
                ? flinkPath(report.runDir.resolve("baseline"))
                : store.snapshotDir(report.runId);
        PlanJob.Layout layout = new PlanJob.Layout(flinkPath(report.runDir), baseline);
        Map<String, String> flinkSettings = new LinkedHashMap<>(config.flink());
        JobProgress.localDefaults(flinkSettings);
        // The plan job's sorts run faster on small buffers than on the local mini-cluster's 128 MB
        // (README, nightly figures); a cluster's TaskManagers keep their own setting.
        flinkSettings.putIfAbsent(TaskManagerOptions.MANAGED_MEMORY_SIZE.key(), LOCAL_MANAGED_MEMORY);
        RunTempDir.applyTo(flinkSettings);
        Configuration flinkConf = Configuration.fromMap(flinkSettings);

        progress.println(String.format("planning: reading inputs and the last synced snapshot (%s)%s...", previousId.orElse("none yet"),
                unfinished.isEmpty() ? "" : ", and " + unfinished.size() + " unfinished push(es)"));
        long phase = System.nanoTime();
        JobExecutionResult plan = PlanJob.run(config, flinkConf, options.fullResync(), previous, layouts, handoff, layout,
                JobProgress.every(progress.interval(), NightlyProgress.plan(config), progress::update));
        PlanCounts.read(plan.getAllAccumulatorResults(), config, report);
        report.planFile = PlanFile.write(report.runDir, report);
        progress.println(NightlyProgress.planned(since(phase), plan.getAllAccumulatorResults(), config, report));
        List<String> unused = UnusedRows.noneUsed(config, report);
        if (!unused.isEmpty()) {
            throw new NightlyInputs.InvalidException(unused);
        }
        if (options.fullResync()) {
            report.overrides.add(report.fullResync());
        }
        SafetyChecks.apply(config.nightly(), options.allowLargeRemovals(), report);

        if (!report.refusals.isEmpty()) {
            return RunReport.Outcome.REFUSED;
        }
        if (options.dryRun()) {
            return RunReport.Outcome.DRY_RUN;
        }
        List<org.apache.flink.core.fs.Path> covered = new ArrayList<>(unfinished);
        long assertions = report.handoff == null ? 0 : report.handoff.assertions;
        if (report.listOperations() + report.segmentOperations() + assertions == 0) {
            commit(store, report, List.of(), covered);
            countUnmanagedSegments(store, report);
            return RunReport.Outcome.NOTHING_TO_DO;
        }
        // Write-ahead: from here on, a crash leaves this record and the next run treats its keys as uncertain.
        covered.add(store.journal().record(report.runId, report.planFile));
        CrashTestPause.at(CrashTestPause.Step.AFTER_JOURNAL);
        progress.println(String.format("pushing %d list operations and %d segment operations%s...", report.listOperations(),
                report.segmentOperations(), assertions == 0 ? ""
                        : ", and handing " + assertions + " users' assertions to the streaming job (" + report.handoff.target + ")"));
        phase = System.nanoTime();
        Path deadLetters = report.runDir.resolve("dead-letters");
        JobExecutionResult push;
        try (Destinations dest = Destinations.open(config, Destinations.sandboxStateFile(config))) {
            report.pushStarted = true;
            push = PushJob.run(config, flinkConf, layout, dest, flinkPath(deadLetters), clock.millis(), report.listOperations() > 0,
                    report.segmentOperations() > 0, assertions > 0 ? ownership.streamJob().orElseThrow() : null,
                    JobProgress.every(progress.interval(),
                            NightlyProgress.push(config, report.listOperations(), report.segmentOperations()), progress::update));
        }
        if (assertions > 0) {
            report.handoff.delivered = true;
        }
        PushOutcome pushed = PushOutcome.read(deadLetters, report);
        report.removalsAlreadyAbsent = JobProgress.count(push.getAllAccumulatorResults(),
                SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, AdestraSink.REMOVALS_ALREADY_ABSENT));
        progress.println(NightlyProgress.pushed(since(phase), push.getAllAccumulatorResults(), report));
        commit(store, report, pushed.uncertainPlanLines, covered);
        countUnmanagedSegments(store, report);
        if (report.deadLetters > 0) {
            LOG.warn("{} operations were refused; the snapshot records them as uncertain, so the next run sends them again",
                    report.deadLetters);
            return RunReport.Outcome.PUSHED_WITH_FAILURES;
        }
        return RunReport.Outcome.PUSHED;
    }

    /** A hand-off to a topic that does not exist would only fail at the end of the plan, after a minute's wait. */
    private static void handoffTargetExists(StreamJobConfig job) throws NightlyInputs.InvalidException {
        if (job.assertionsTopic() == null) {
            return;
        }
        List<String> problems = KafkaPreflight.topicsExist(job.config().kafka().orElseThrow(),
                Map.of("kafka.topics.assertions", job.assertionsTopic()), Duration.ofSeconds(30));
        if (!problems.isEmpty()) {
            throw new NightlyInputs.InvalidException(
                    problems.stream().map(p -> "nightly.stream-config: " + job.source() + ": " + p).toList());
        }
    }

    private void commit(SnapshotStore store, RunReport report, List<String> uncertainPlanLines,
            List<org.apache.flink.core.fs.Path> covered) throws IOException {
        long phase = System.nanoTime();
        store.commit(report.runId, uncertainPlanLines, covered);
        progress.println(NightlyProgress.committed(since(phase), report.runId));
    }

    /**
     * Codes the import holds that this run's snapshot does not name (made in the dashboard, or by
     * another tool): left alone, and counted in the report. A read that fails only leaves the count
     * out; the run's outcome does not depend on it.
     */
    private void countUnmanagedSegments(SnapshotStore store, RunReport report) {
        if (report.importId == null) {
            return;
        }
        try (Destinations dest = Destinations.open(config, Destinations.sandboxStateFile(config))) {
            Set<String> live = new java.util.TreeSet<>(TaxonomyImportCodes.read(dest.taxonomySettings(config)));
            live.removeAll(store.segmentCodes(report.runId));
            report.segmentsNotManaged = live.size();
        } catch (Exception e) {
            LOG.warn("Could not count the segments of import {} that no input names: {}", report.importId, e.toString());
        }
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }

    private static PlanJob.Previous previous(SnapshotStore store, Optional<String> id, List<org.apache.flink.core.fs.Path> unfinished)
            throws IOException {
        List<org.apache.flink.core.fs.Path> uncertain = new ArrayList<>(unfinished);
        if (id.isEmpty()) {
            return new PlanJob.Previous(null, null, null, null, uncertain);
        }
        uncertain.addAll(store.uncertainOf(id.get()));
        return new PlanJob.Previous(SnapshotStore.ifExists(store.pairsDir(id.get())), SnapshotStore.ifExists(store.segmentsDir(id.get())),
                SnapshotStore.ifExists(store.usersDir(id.get())), SnapshotStore.ifExists(store.handedOffDir(id.get())), uncertain);
    }

    private Path newRunDir(String runId) throws IOException {
        Path dir = config.nightly().runsDir().resolve(runId);
        for (int i = 1; Files.exists(dir); i++) {
            dir = config.nightly().runsDir().resolve(runId + "-" + i);
        }
        // Not createDirectories' result: it is absolute when a parent had to be created too, and
        // the report prints paths as the config gives them, on the first run as on every other.
        Files.createDirectories(dir);
        return dir;
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path local) {
        return new org.apache.flink.core.fs.Path(local.toAbsolutePath().toUri());
    }
}

package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.command.Command;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a nightly run did, for people (a table on the terminal) and machines ({@code report.json}
 * in the run's folder, written for every run that got past loading its config): per input, lines
 * read, rejected and ignored; per list, contacts before, target, adds, removes, held and failures
 * by reason; per import the same for segments; the outcome with its exit code; why a run was
 * refused or failed; duration.
 */
final class RunReport {
    /** How a run ended, and the exit code {@code bin/mirror nightly} returns for it. */
    enum Outcome {
        PUSHED("pushed", Command.OK),
        NOTHING_TO_DO("nothing-to-send", Command.OK),
        DRY_RUN("dry-run", Command.OK),
        /** Some operations were refused by a destination (dead letters); the next run retries them. */
        PUSHED_WITH_FAILURES("pushed-with-failures", 4),
        /** A safety check stopped the run before anything was sent. */
        REFUSED("refused", Command.REFUSED),
        /** The run could not finish: a destination unreachable, a bad key, a missing list, a Flink failure. */
        FAILED("failed", Command.FAILED),
        /** An input is missing, unreadable or has an unusable header (nothing was read), or none of its rows is used (nothing was sent). */
        INVALID_INPUT("invalid-input", Command.USAGE),
        /** Another run holds the state directory's lock; nothing was done. */
        LOCKED("locked", Command.LOCKED);

        final String label;
        final int exitCode;

        Outcome(String label, int exitCode) {
            this.label = label;
            this.exitCode = exitCode;
        }
    }

    /** @param rows the lines that are records, read or rejected (not blank lines, not a CSV header) */
    record InputCounts(long lines, long rejected, long ignored, long rows) {
        /** Rows the run went on with: neither rejected nor ignored (e.g. of a cohort that is not activated). */
        long used() {
            return lines - rejected - ignored;
        }
    }

    /** An override the run was given ({@code --allow-large-removals}, {@code --full-resync}) and what it allowed. */
    record Override(String flag, String allowed) {}

    /** Per cohort handed to the streaming job: users asserted in it today, at the last hand-off, and leaving it. */
    static final class CohortCounts {
        long list;
        long in;
        long before;
        long leaving;
    }

    /** What this run handed the streaming job, when it writes some of the lists ({@link Handoff}). */
    static final class HandoffCounts {
        String target;
        String streamConfig;
        Instant asOf;
        long assertions;
        /** Set once the assertions were written to the target. */
        boolean delivered;
        final SortedMap<String, CohortCounts> cohorts = new TreeMap<>();
    }

    static final class ListCounts {
        long synced;
        long target;
        long adds;
        long removes;
        long retracted;
        long held;
        long uncertain;
        /** Adds of contacts the snapshot has on the list, sent again ({@code --full-resync}). */
        long resent;
        long failedAdds;
        long failedRemoves;
        final SortedMap<String, Long> failuresByReason = new TreeMap<>();
        final List<String> preview = new ArrayList<>();
    }

    String runId;
    Path runDir;
    Outcome outcome;
    long durationMillis;
    /** The root cause of a failed, locked or invalid run, in words a person can act on. */
    String failure;
    /** The failure itself, for the log or {@code --verbose}; not written to the report. */
    transient Throwable failureException;
    final Map<String, InputCounts> inputs = new LinkedHashMap<>();
    final SortedMap<Long, ListCounts> lists = new TreeMap<>();
    long usersWithoutContact;
    long usersHeldIdentity;
    long usersHeldMembership;
    /** Write-ahead records of earlier pushes that no commit had covered: their keys were planned as uncertain. */
    int unfinishedPushes;
    String importId;
    long segmentsSynced;
    long creates;
    long updates;
    long deletes;
    long segmentsHeld;
    /** Updates of segments the snapshot has as they are today, sent again ({@code --full-resync}). */
    long segmentsResent;
    long segmentFailures;
    /** Codes in the import that neither the input nor the snapshot names, left alone; -1 when not read. */
    long segmentsNotManaged = -1;
    final SortedMap<String, Long> segmentFailuresByReason = new TreeMap<>();
    final List<String> segmentPreview = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<Override> overrides = new ArrayList<>();
    long deadLetters;
    /** Removals Adestra answered 404 on a list that exists: done, the contact was not on the list (among the applied). */
    long removalsAlreadyAbsent;
    Path planFile;
    /** Set when the push job was started: from then on, operations may have reached the destinations. */
    boolean pushStarted;
    /** Where this run's log went (a local run), or null: it went where the logging is configured to. */
    Path logFile;
    /** Where the embedded sandbox keeps what it holds, when the run sends to it. */
    Path sandboxState;
    /** Null unless the streaming job writes some of this run's lists. */
    HandoffCounts handoff;

    /** What {@code --full-resync} added to the plan: the operations a plain run would not have sent. */
    Override fullResync() {
        return new Override("--full-resync", String.format(
                "%d adds of contacts the snapshot has on their list and %d updates of segments it has as they are, sent again",
                lists.values().stream().mapToLong(c -> c.resent).sum(), segmentsResent));
    }

    long listOperations() {
        return lists.values().stream().mapToLong(l -> l.adds + l.removes).sum();
    }

    long segmentOperations() {
        return creates + updates + deletes;
    }

    /**
     * What was sent of the planned operations: {@code all} (pushed, some maybe refused: see
     * failed), {@code none}, or {@code unknown} (the push failed midway: each is sent again by the
     * next run).
     */
    String sent() {
        if (outcome == Outcome.PUSHED || outcome == Outcome.PUSHED_WITH_FAILURES) {
            return "all";
        }
        return outcome == Outcome.FAILED && pushStarted ? "unknown" : "none";
    }

    /** A failed run's counts are what it planned: its table says so rather than "0 failed". */
    private boolean plannedOnly() {
        return outcome == Outcome.FAILED;
    }

    private String failedCell(long failed) {
        return plannedOnly() ? "-" : Long.toString(failed);
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nAudience Mirror nightly run %s: %s in %.1f s%n", runId, outcome.label.replace('-', ' '),
                durationMillis / 1000.0));
        if (failure != null) {
            sb.append("\nFAILED: ").append(failure).append('\n');
        }
        if (!inputs.isEmpty()) {
            sb.append(String.format("%n%-22s %12s %10s %10s%n", "input", "lines", "rejected", "ignored"));
            inputs.forEach((name, c) -> sb.append(String.format("%-22s %12d %10d %10d%n", name, c.lines(), c.rejected(), c.ignored())));
            long rejected = inputs.values().stream().mapToLong(InputCounts::rejected).sum();
            if (rejected > 0) {
                sb.append(String.format("rejected lines, with their line number, field and reason: %d (listed in %s)%n", rejected,
                        runDir.resolve(PlanOutputs.REJECTS)));
            }
        }
        if (!lists.isEmpty() && !inputs.isEmpty()) {
            sb.append(String.format("%n%-22s %10s %10s %10s %10s %10s %10s%n", "Adestra list", "before", "target",
                    plannedOnly() ? "to add" : "adds", plannedOnly() ? "to remove" : "removes", "held", "failed"));
            lists.forEach((id, c) -> sb.append(String.format("%-22s %10d %10d %10d %10d %10d %10s%n", id, c.synced, c.target,
                    c.adds, c.removes, c.held, failedCell(c.failedAdds + c.failedRemoves))));
            if (plannedOnly()) {
                sb.append(notSent()).append('\n');
            }
            sb.append(String.format("users in activated cohorts without an Adestra contact ID: %d%s%n", usersWithoutContact,
                    usersWithoutContact > 0 ? " (listed in " + runDir.resolve(PlanOutputs.UNMATCHED_USERS) + ")" : ""));
            if (usersHeldIdentity + usersHeldMembership > 0) {
                sb.append(String.format("users held as they were (a line about them was rejected): %d identity, %d membership"
                        + " (listed in %s)%n", usersHeldIdentity, usersHeldMembership, runDir.resolve(PlanOutputs.HELD_USERS)));
            }
            if (removalsAlreadyAbsent > 0) {
                sb.append(String.format("removals of contacts already absent from their list (Adestra answered 404, the list"
                        + " exists; counted as applied): %d%n", removalsAlreadyAbsent));
            }
            if (unfinishedPushes > 0) {
                sb.append(String.format("unfinished earlier pushes: %d; every key they named was sent its target state%n",
                        unfinishedPushes));
            }
        }
        if (handoff != null && !inputs.isEmpty()) {
            sb.append(String.format("%nhanded to the streaming job (%s; %s), as of %s: %d users%s%n", handoff.streamConfig,
                    handoff.target, handoff.asOf, handoff.assertions, handoff.delivered ? "" : " (not sent)"));
            sb.append(String.format("%-22s %10s %10s %10s %10s%n", "cohort", "list", "in", "before", "leaving"));
            handoff.cohorts.forEach((cohort, c) -> sb.append(String.format("%-22s %10d %10d %10d %10d%n", cohort, c.list, c.in,
                    c.before, c.leaving)));
        }
        if (importId != null && !inputs.isEmpty()) {
            int w = plannedOnly() ? 9 : 8;
            sb.append(String.format("%n%-38s %8s %" + w + "s %" + w + "s %" + w + "s %8s %8s%n", "Permutive import", "before",
                    plannedOnly() ? "to create" : "creates", plannedOnly() ? "to update" : "updates",
                    plannedOnly() ? "to delete" : "deletes", "held", "failed"));
            sb.append(String.format("%-38s %8d %" + w + "d %" + w + "d %" + w + "d %8d %8s%n", importId, segmentsSynced, creates,
                    updates, deletes, segmentsHeld, failedCell(segmentFailures)));
            if (plannedOnly() && lists.isEmpty()) {
                sb.append(notSent()).append('\n');
            }
            if (segmentsNotManaged > 0) {
                sb.append(String.format("segments in the import that no input names (not managed by this run, left alone): %d%n",
                        segmentsNotManaged));
            }
        }
        if (!overrides.isEmpty()) {
            sb.append("\noverrides given:\n");
            overrides.forEach(o -> sb.append("  ").append(o.flag()).append(": ").append(o.allowed()).append('\n'));
        }
        if (outcome == Outcome.DRY_RUN) {
            sb.append(String.format("%nplan (nothing was sent): %d list operations, %d segment operations%n", listOperations(),
                    segmentOperations()));
            lists.forEach((id, c) -> c.preview.forEach(p -> sb.append("  ").append(p).append('\n')));
            segmentPreview.forEach(p -> sb.append("  ").append(p).append('\n'));
            sb.append("full plan: ").append(planFile).append('\n');
        }
        if (!refusals.isEmpty()) {
            sb.append("\nREFUSED: nothing was sent:\n");
            refusals.forEach(r -> sb.append("  - ").append(r).append('\n'));
        }
        if (deadLetters > 0) {
            sb.append(String.format("%n%d operations were refused by a destination; see %s. The next run sends them again.%n",
                    deadLetters, runDir.resolve("dead-letters")));
            lists.forEach((id, c) -> c.failuresByReason.forEach((reason, n) ->
                    sb.append(String.format("  list %d: %d %s%n", id, n, reason))));
            segmentFailuresByReason.forEach((reason, n) -> sb.append(String.format("  import %s: %d %s%n", importId, n, reason)));
        }
        if (sandboxState != null) {
            sb.append("embedded sandbox (the destination of this run): lists and segments in ").append(sandboxState).append('\n');
        }
        sb.append("report: ").append(runDir.resolve("report.json")).append('\n');
        if (logFile != null) {
            sb.append("log: ").append(logFile).append('\n');
        }
        return sb.toString();
    }

    private String notSent() {
        return pushStarted
                ? "planned: the push failed, so which of these operations reached the destination is not known; the next run"
                        + " sends each again"
                : "planned, not sent: the run failed before the push";
    }

    void writeJson() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("run_id", runId);
        root.put("outcome", outcome.label);
        root.put("exit_code", outcome.exitCode);
        root.put("duration_ms", durationMillis);
        root.put("operations_sent", sent());
        if (failure != null) {
            root.put("failure", failure);
        }
        ObjectNode in = root.putObject("inputs");
        inputs.forEach((name, c) -> in.putObject(name).put("lines", c.lines()).put("rejected", c.rejected()).put("ignored", c.ignored()));
        ObjectNode ls = root.putObject("lists");
        lists.forEach((id, c) -> {
            ObjectNode l = ls.putObject(Long.toString(id)).put("before", c.synced).put("target", c.target).put("adds", c.adds)
                    .put("removes", c.removes).put("held", c.held).put("uncertain", c.uncertain)
                    .put("failed_adds", c.failedAdds).put("failed_removes", c.failedRemoves);
            ObjectNode reasons = l.putObject("failed_by_reason");
            c.failuresByReason.forEach(reasons::put);
        });
        root.put("removals_already_absent", removalsAlreadyAbsent);
        root.put("users_without_contact", usersWithoutContact);
        root.putObject("users_held").put("identity_rejected", usersHeldIdentity).put("membership_rejected", usersHeldMembership);
        root.put("unfinished_pushes", unfinishedPushes);
        if (importId != null) {
            ObjectNode imp = root.putObject("import").put("id", importId).put("before", segmentsSynced).put("creates", creates)
                    .put("updates", updates).put("deletes", deletes).put("held", segmentsHeld).put("failed", segmentFailures)
                    .put("not_managed", segmentsNotManaged);
            ObjectNode reasons = imp.putObject("failed_by_reason");
            segmentFailuresByReason.forEach(reasons::put);
        }
        if (handoff != null) {
            ObjectNode h = root.putObject("handoff").put("stream_config", handoff.streamConfig).put("target", handoff.target)
                    .put("as_of", String.valueOf(handoff.asOf)).put("assertions", handoff.assertions)
                    .put("delivered", handoff.delivered);
            ObjectNode cs = h.putObject("cohorts");
            handoff.cohorts.forEach((cohort, c) -> cs.putObject(cohort).put("list", c.list).put("in", c.in)
                    .put("before", c.before).put("leaving", c.leaving));
        }
        ArrayNode r = root.putArray("refusals");
        refusals.forEach(r::add);
        ArrayNode o = root.putArray("overrides");
        overrides.forEach(over -> o.addObject().put("flag", over.flag()).put("allowed", over.allowed()));
        root.put("dead_letters", deadLetters);
        if (planFile != null) {
            root.put("plan", planFile.toString());
        }
        if (sandboxState != null) {
            root.put("sandbox_state", sandboxState.toString());
        }
        if (logFile != null) {
            root.put("log", logFile.toString());
        }
        Files.writeString(runDir.resolve("report.json"), json.writeValueAsString(root));
    }
}

package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a nightly run did, for people (a table on the terminal) and machines ({@code report.json}
 * in the run's folder): per input, lines read and rejected; per list, contacts before, target,
 * adds, removes and failures; per import, creates, updates, deletes and failures; users without a
 * contact ID; why a run was refused; duration.
 */
final class RunReport {
    enum Outcome {
        PUSHED,
        DRY_RUN,
        REFUSED,
        NOTHING_TO_DO
    }

    record InputCounts(long lines, long rejected, long ignored) {}

    static final class ListCounts {
        long synced;
        long target;
        long adds;
        long removes;
        long failedAdds;
        long failedRemoves;
        final List<String> preview = new ArrayList<>();
    }

    String runId;
    Path runDir;
    Outcome outcome;
    long durationMillis;
    final Map<String, InputCounts> inputs = new LinkedHashMap<>();
    final SortedMap<Long, ListCounts> lists = new TreeMap<>();
    long usersWithoutContact;
    String importId;
    long segmentsSynced;
    long creates;
    long updates;
    long deletes;
    long segmentFailures;
    final List<String> segmentPreview = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    long deadLetters;
    Path planFile;

    long listOperations() {
        return lists.values().stream().mapToLong(l -> l.adds + l.removes).sum();
    }

    long segmentOperations() {
        return creates + updates + deletes;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nAudience Mirror nightly run %s: %s in %.1f s%n", runId, describe(outcome), durationMillis / 1000.0));
        sb.append(String.format("%n%-22s %12s %10s %10s%n", "input", "lines", "rejected", "ignored"));
        inputs.forEach((name, c) -> sb.append(String.format("%-22s %12d %10d %10d%n", name, c.lines(), c.rejected(), c.ignored())));
        sb.append(String.format("%n%-22s %10s %10s %10s %10s %10s%n", "Adestra list", "before", "target", "adds", "removes", "failed"));
        lists.forEach((id, c) -> sb.append(String.format("%-22s %10d %10d %10d %10d %10d%n", id, c.synced, c.target, c.adds,
                c.removes, c.failedAdds + c.failedRemoves)));
        sb.append(String.format("users in activated cohorts without an Adestra contact ID: %d%s%n", usersWithoutContact,
                usersWithoutContact > 0 ? " (listed in " + runDir.resolve("unmatched-users") + ")" : ""));
        if (importId != null) {
            sb.append(String.format("%n%-38s %8s %8s %8s %8s %8s%n", "Permutive import", "before", "creates", "updates", "deletes", "failed"));
            sb.append(String.format("%-38s %8d %8d %8d %8d %8d%n", importId, segmentsSynced, creates, updates, deletes, segmentFailures));
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
            sb.append(String.format("%n%d operations were refused by a destination; see %s. They are left out of the"
                    + " snapshot, so the next run retries them.%n", deadLetters, runDir.resolve("dead-letters")));
        }
        sb.append("report: ").append(runDir.resolve("report.json")).append('\n');
        return sb.toString();
    }

    private static String describe(Outcome o) {
        return switch (o) {
            case PUSHED -> "pushed";
            case DRY_RUN -> "dry run";
            case REFUSED -> "refused";
            case NOTHING_TO_DO -> "nothing to send";
        };
    }

    void writeJson() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("run_id", runId);
        root.put("outcome", outcome.name().toLowerCase());
        root.put("duration_ms", durationMillis);
        ObjectNode in = root.putObject("inputs");
        inputs.forEach((name, c) -> in.putObject(name).put("lines", c.lines()).put("rejected", c.rejected()).put("ignored", c.ignored()));
        ObjectNode ls = root.putObject("lists");
        lists.forEach((id, c) -> ls.putObject(Long.toString(id)).put("before", c.synced).put("target", c.target).put("adds", c.adds)
                .put("removes", c.removes).put("failed_adds", c.failedAdds).put("failed_removes", c.failedRemoves));
        root.put("users_without_contact", usersWithoutContact);
        if (importId != null) {
            root.putObject("import").put("id", importId).put("before", segmentsSynced).put("creates", creates)
                    .put("updates", updates).put("deletes", deletes).put("failed", segmentFailures);
        }
        ArrayNode r = root.putArray("refusals");
        refusals.forEach(r::add);
        root.put("dead_letters", deadLetters);
        if (planFile != null) {
            root.put("plan", planFile.toString());
        }
        Files.writeString(runDir.resolve("report.json"), json.writeValueAsString(root));
    }
}

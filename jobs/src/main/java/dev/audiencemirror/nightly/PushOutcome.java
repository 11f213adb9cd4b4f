package dev.audiencemirror.nightly;

import dev.audiencemirror.connector.adestra.AdestraDeadLetters;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.taxonomy.TaxonomyDeadLetters;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a push's dead letters mean for the run: counts per list and per reason in the report,
 * and the plan lines of the refused keys, which the committed snapshot records as uncertain so
 * that the next run sends their target state again (a refused operation may or may not have
 * reached the destination: a timeout after the API applied it looks the same as one before).
 */
final class PushOutcome {
    final List<String> uncertainPlanLines = new ArrayList<>();

    static PushOutcome read(Path deadLetterDir, RunReport report) throws IOException {
        PushOutcome outcome = new PushOutcome();
        for (Path part : PlanFile.parts(deadLetterDir)) {
            try (Stream<String> lines = Files.lines(part, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (!line.isBlank()) {
                        outcome.add(DeadLetter.fromJson(line), report);
                    }
                }
            }
        }
        return outcome;
    }

    private void add(DeadLetter letter, RunReport report) {
        if (letter.isAppliedNote()) {
            return; // a note that a newer operation of the key was applied (for redrive), not a refusal
        }
        report.deadLetters++;
        String reason = reason(letter);
        if (AdestraDeadLetters.isFrom(letter)) {
            ListOperation op = AdestraDeadLetters.operation(letter);
            uncertainPlanLines.add(new PlannedOperation.ListOp(op.action(), op.contactId(), op.listId()).encode());
            RunReport.ListCounts c = report.lists.computeIfAbsent(op.listId(), l -> new RunReport.ListCounts());
            if (op.action() == dev.audiencemirror.listop.ListAction.ADD) {
                c.failedAdds++;
            } else {
                c.failedRemoves++;
            }
            c.failuresByReason.merge(op.action().name().toLowerCase(java.util.Locale.ROOT) + " refused: " + reason, 1L, Long::sum);
        } else if (TaxonomyDeadLetters.isFrom(letter)) {
            TaxonomyDeadLetters.RefusedRow row = TaxonomyDeadLetters.row(letter);
            uncertainPlanLines.add(new PlannedOperation.SegmentOp(row.action(), row.code(), null).encode());
            report.segmentFailures++;
            report.segmentFailuresByReason.merge(row.action().apiName() + " refused: " + reason, 1L, Long::sum);
        } else {
            throw new IllegalArgumentException("dead letter from an unknown destination: " + letter.destination());
        }
    }

    /** A reason to count by: the HTTP status, or that no answer came. */
    private static String reason(DeadLetter letter) {
        return letter.status() == 0 ? "no answer (timeout or connection failure)" : "HTTP " + letter.status();
    }
}

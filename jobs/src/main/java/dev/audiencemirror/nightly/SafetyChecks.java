package dev.audiencemirror.nightly;

import dev.audiencemirror.config.NightlySettings;
import java.util.List;

/**
 * A broken export must not empty lists: too many rejects, or too large a removal, stop the run
 * before anything is sent (or handed to the streaming job: a cohort of a list it writes may lose
 * no more of the users the last hand-off had in it than a list may lose contacts). The removal ceiling counts removals of contacts the snapshot had;
 * removals that undo an unfinished push's adds ({@code retracted}) restore the snapshot and do
 * not count. A removal above the ceiling advises {@code --allow-large-removals} only when every
 * input was understood ({@link UnusedRows}); given that flag, the run records what it allowed.
 */
final class SafetyChecks {
    static final String ALLOW_LARGE_REMOVALS = "--allow-large-removals";

    private SafetyChecks() {}

    static void apply(NightlySettings settings, boolean allowLargeRemovals, RunReport report) {
        double threshold = settings.rejectThreshold();
        report.inputs.forEach((name, c) -> {
            if (c.lines() > 0 && (double) c.rejected() / c.lines() > threshold) {
                report.refusals.add(String.format(
                        "%s: %d of %d lines rejected (%.2f%%), above nightly.reject-threshold %.2f%%; see %s",
                        name, c.rejected(), c.lines(), 100.0 * c.rejected() / c.lines(), 100 * threshold,
                        report.runDir.resolve(PlanOutputs.REJECTS)));
            }
        });
        double ceiling = settings.maxRemovalRatio();
        String ceilingText = String.format(", above nightly.max-removal-ratio %.1f%%", 100 * ceiling);
        List<String> notUnderstood = UnusedRows.likelyNotUnderstood(report, threshold);
        String advice = notUnderstood.isEmpty()
                ? "; if that is intended, run again with " + ALLOW_LARGE_REMOVALS
                : "; likely an input this run did not understand, not users leaving: " + String.join(", ", notUnderstood)
                        + "; check it";
        int[] above = {0};
        report.lists.forEach((id, c) -> {
            long removed = c.removes - c.retracted;
            if (c.synced > 0 && (double) removed / c.synced > ceiling) {
                above[0]++;
                double pct = 100.0 * removed / c.synced;
                if (allowLargeRemovals) {
                    allowed(report, String.format("list %d: %d of %d contacts to remove (%.1f%%)%s", id, removed, c.synced, pct,
                            ceilingText));
                } else {
                    report.refusals.add(String.format("list %d: would remove %d of its %d contacts (%.1f%%)%s%s", id, removed,
                            c.synced, pct, ceilingText, advice));
                }
            }
        });
        if (report.handoff != null) {
            report.handoff.cohorts.forEach((cohort, c) -> {
                if (c.before > 0 && (double) c.leaving / c.before > ceiling) {
                    above[0]++;
                    double pct = 100.0 * c.leaving / c.before;
                    if (allowLargeRemovals) {
                        allowed(report, String.format("cohort %s (list %d, written by the streaming job): %d of %d users to"
                                + " assert out (%.1f%%)%s", cohort, c.list, c.leaving, c.before, pct, ceilingText));
                    } else {
                        report.refusals.add(String.format("cohort %s (list %d, written by the streaming job): %d of its %d users"
                                + " would be asserted out (%.1f%%)%s%s", cohort, c.list, c.leaving, c.before, pct, ceilingText,
                                advice));
                    }
                }
            });
        }
        if (allowLargeRemovals && above[0] == 0) {
            allowed(report, String.format("nothing: no list loses more than nightly.max-removal-ratio %.1f%%", 100 * ceiling));
        }
    }

    private static void allowed(RunReport report, String what) {
        report.overrides.add(new RunReport.Override(ALLOW_LARGE_REMOVALS, what));
    }
}

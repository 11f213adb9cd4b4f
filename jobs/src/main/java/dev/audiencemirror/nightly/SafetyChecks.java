package dev.audiencemirror.nightly;

import dev.audiencemirror.config.NightlySettings;

/**
 * A broken export must not empty lists: too many rejects, or too large a removal, stop the run
 * before anything is sent (or handed to the streaming job: a cohort of a list it writes may lose
 * no more of the users the last hand-off had in it than a list may lose contacts). The removal ceiling counts removals of contacts the snapshot had;
 * removals that undo an unfinished push's adds ({@code retracted}) restore the snapshot and do
 * not count.
 */
final class SafetyChecks {
    private SafetyChecks() {}

    static void apply(NightlySettings settings, boolean allowLargeRemovals, RunReport report) {
        double threshold = settings.rejectThreshold();
        report.inputs.forEach((name, c) -> {
            if (c.lines() > 0 && (double) c.rejected() / c.lines() > threshold) {
                report.refusals.add(String.format(
                        "%s: %d of %d lines rejected (%.2f%%), above nightly.reject-threshold %.2f%%; see %s",
                        name, c.rejected(), c.lines(), 100.0 * c.rejected() / c.lines(), 100 * threshold,
                        report.runDir.resolve("rejects")));
            }
        });
        if (!allowLargeRemovals) {
            double ceiling = settings.maxRemovalRatio();
            report.lists.forEach((id, c) -> {
                long removed = c.removes - c.retracted;
                if (c.synced > 0 && (double) removed / c.synced > ceiling) {
                    report.refusals.add(String.format(
                            "list %d: would remove %d of its %d contacts (%.1f%%), above nightly.max-removal-ratio %.1f%%;"
                                    + " if that is intended, run again with --allow-large-removals",
                            id, removed, c.synced, 100.0 * removed / c.synced, 100 * ceiling));
                }
            });
            if (report.handoff != null) {
                report.handoff.cohorts.forEach((cohort, c) -> {
                    if (c.before > 0 && (double) c.leaving / c.before > ceiling) {
                        report.refusals.add(String.format(
                                "cohort %s (list %d, written by the streaming job): %d of its %d users would be asserted out"
                                        + " (%.1f%%), above nightly.max-removal-ratio %.1f%%; if that is intended, run again"
                                        + " with --allow-large-removals",
                                cohort, c.list, c.leaving, c.before, 100.0 * c.leaving / c.before, 100 * ceiling));
                    }
                });
            }
        }
    }
}

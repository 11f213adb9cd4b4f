package dev.audiencemirror.nightly;

import static dev.audiencemirror.progress.JobProgress.count;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.progress.JobProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the terminal shows while a nightly run works: a progress line per job while it runs, from
 * its accumulators (the plan: lines read per input; the push: list operations sent of the total,
 * applied, dead letters, retries, the Adestra sink's current concurrency, and the retries of its
 * start-up check while the API does not answer it), and one summary line
 * per phase with its duration.
 */
final class NightlyProgress {
    private NightlyProgress() {}

    static JobProgress.Line plan(MirrorConfig config) {
        List<String> inputs = inputs(config);
        return (acc, elapsed) -> "plan: " + seconds(elapsed) + ", lines read: " + linesRead(acc, inputs);
    }

    static JobProgress.Line push(MirrorConfig config, long listOperations, long segmentOperations) {
        int maxConcurrency = config.adestra().maxConcurrency();
        return (acc, elapsed) -> {
            StringBuilder sb = new StringBuilder("push: ").append(seconds(elapsed));
            if (listOperations > 0) {
                long applied = count(acc, adestra(SinkMetrics.SUCCEEDED));
                long dead = count(acc, adestra(SinkMetrics.DEAD_LETTERED));
                long sent = applied + dead + count(acc, adestra(SinkMetrics.IN_FLIGHT));
                sb.append(String.format(Locale.ROOT, ", list operations %d of %d sent, %d applied, %s, %s, concurrency %d of %d",
                        sent, listOperations, applied, plural(dead, "dead letter"), plural(count(acc, adestra(SinkMetrics.RETRIED)),
                                "retry", "retries"), count(acc, adestra(AdestraSink.CONCURRENCY_LIMIT)), maxConcurrency));
                long checkRetries = count(acc, adestra(AdestraSink.STARTUP_CHECK_RETRIES));
                if (checkRetries > 0) {
                    // Nothing is sent until every list answered: say that it is being tried.
                    sb.append(String.format(Locale.ROOT, ", start-up check: %s", plural(checkRetries, "retry", "retries")));
                }
            }
            if (segmentOperations > 0) {
                sb.append(String.format(Locale.ROOT, "%s%s (counted when the push ends)", listOperations > 0 ? "; " : ", ",
                        plural(segmentOperations, "segment operation")));
            }
            return sb.toString();
        };
    }

    static String planned(Duration took, Map<String, Object> accumulators, MirrorConfig config, RunReport report) {
        return String.format(Locale.ROOT, "planned in %s: lines read: %s; to send: %s, %s", tenths(took),
                linesRead(accumulators, inputs(config)), plural(report.listOperations(), "list operation"),
                plural(report.segmentOperations(), "segment operation"));
    }

    static String pushed(Duration took, Map<String, Object> accumulators, RunReport report) {
        long listFailed = report.lists.values().stream().mapToLong(c -> c.failedAdds + c.failedRemoves).sum();
        List<String> parts = new ArrayList<>();
        if (report.listOperations() > 0) {
            parts.add(String.format(Locale.ROOT, "%s (%d applied%s, %s, %s)", plural(report.listOperations(), "list operation"),
                    report.listOperations() - listFailed,
                    report.removalsAlreadyAbsent == 0 ? "" : ", " + report.removalsAlreadyAbsent + " of them removals already absent",
                    plural(listFailed, "dead letter"), plural(count(accumulators, adestra(SinkMetrics.RETRIED)), "retry", "retries")));
        }
        if (report.segmentOperations() > 0) {
            parts.add(String.format(Locale.ROOT, "%s (%d applied, %s)", plural(report.segmentOperations(), "segment operation"),
                    report.segmentOperations() - report.segmentFailures, plural(report.segmentFailures, "dead letter")));
        }
        return "pushed in " + tenths(took) + ": " + String.join(", ", parts);
    }

    static String committed(Duration took, String snapshotId) {
        return "committed in " + tenths(took) + ": snapshot " + snapshotId + " is the last synced state";
    }

    private static List<String> inputs(MirrorConfig config) {
        return config.inputs().segments().isPresent()
                ? List.of("identities", "memberships", "segments")
                : List.of("identities", "memberships");
    }

    private static String linesRead(Map<String, Object> acc, List<String> inputs) {
        List<String> parts = new ArrayList<>();
        for (String input : inputs) {
            parts.add(input + " " + count(acc, ParseAndMap.counter(input, "lines")));
        }
        return String.join(", ", parts);
    }

    private static String adestra(String metric) {
        return SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, metric);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String tenths(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String plural(long n, String one) {
        return plural(n, one, one + "s");
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}

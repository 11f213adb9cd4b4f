package dev.audiencemirror.stream;

import static dev.audiencemirror.progress.JobProgress.count;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.progress.JobProgress;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The streaming job's status line, printed every {@code stream.status-interval} while it runs:
 * records read per input with those rejected and ignored, list operations sent (applied, dead
 * letters, in flight) and pending with the oldest one's age, retries (and those of the Adestra
 * start-up check while it gets no answer), and the last completed checkpoint.
 * Counts are the job's accumulators: since its tasks last started (a restart begins them at 0).
 */
final class StreamStatus {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private StreamStatus() {}

    static JobProgress.Line line(MirrorConfig config, Clock clock) {
        List<String> inputs = new ArrayList<>(List.of("identities", "events"));
        if (config.kafka().map(k -> k.segmentsTopic() != null).orElse(false)) {
            inputs.add("segments");
        }
        return (acc, elapsed) -> {
            List<String> read = new ArrayList<>();
            for (String input : inputs) {
                read.add(String.format(Locale.ROOT, "%s %d read (%d rejected, %d ignored)", input,
                        count(acc, InputCounters.accumulator(input, InputCounters.RECORDS)),
                        count(acc, InputCounters.accumulator(input, InputCounters.REJECTED)),
                        count(acc, InputCounters.accumulator(input, InputCounters.IGNORED))));
            }
            long applied = count(acc, adestra(SinkMetrics.SUCCEEDED));
            long dead = count(acc, adestra(SinkMetrics.DEAD_LETTERED));
            long sent = applied + dead + count(acc, adestra(SinkMetrics.IN_FLIGHT));
            String operations = String.format(Locale.ROOT, "list operations %d sent (%d applied, %d dead letters), %d pending"
                    + " (oldest %.1f s), %d retries", sent, applied, dead, count(acc, adestra(SinkMetrics.PENDING)),
                    count(acc, adestra(SinkMetrics.OLDEST_PENDING_AGE)) / 1000.0, count(acc, adestra(SinkMetrics.RETRIED)));
            long checkRetries = count(acc, adestra(AdestraSink.STARTUP_CHECK_RETRIES));
            if (checkRetries > 0) {
                // Nothing is sent until Adestra answers the start-up check: say that it is being tried.
                operations += ", start-up check: " + checkRetries + (checkRetries == 1 ? " retry" : " retries");
            }
            long checkpoint = count(acc, InputCounters.LAST_CHECKPOINT);
            String checkpoints = checkpoint <= 0 ? "no checkpoint completed yet" : String.format(Locale.ROOT,
                    "last checkpoint %d, %.1f s ago", checkpoint,
                    Math.max(0, clock.millis() - count(acc, InputCounters.LAST_CHECKPOINT_AT)) / 1000.0);
            return "status " + TIME.format(clock.instant()) + ": "
                    + String.join(", ", read) + "; " + operations + "; " + checkpoints;
        };
    }

    private static String adestra(String metric) {
        return SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, metric);
    }
}

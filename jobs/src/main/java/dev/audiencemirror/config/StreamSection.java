package dev.audiencemirror.config;

import java.time.Duration;
import java.util.Optional;

/** {@code stream:}, the streaming job's own settings (Flink's go under {@code flink:}). */
final class StreamSection {
    static final String KEY = "stream";
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration MIN_WINDOW = Duration.ofMillis(10);
    private static final Duration MAX_WINDOW = Duration.ofMinutes(10);

    private StreamSection() {}

    static StreamSettings read(Fields root) {
        Fields f = root.mapping(KEY);
        Duration window = f.duration("window", WINDOW);
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            f.problem("window", "must be between 10ms and 10m (changes wait this long before they are sent), found "
                    + window.toMillis() + "ms");
            window = WINDOW;
        }
        Optional<Duration> ttl = f.durationOrOff("user-ttl", Optional.empty(), Duration.ofMinutes(1), "1m");
        String deadLetterDir = f.location("dead-letter-dir").orElse("run/stream");
        Duration watch = f.duration("watch-interval", Duration.ofSeconds(1));
        Optional<Duration> status = f.durationOrOff("status-interval", Optional.of(Duration.ofSeconds(10)),
                Duration.ofSeconds(1), "1s");
        return new StreamSettings(window, ttl, deadLetterDir, watch, status);
    }
}

package dev.audiencemirror.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The streaming job's own settings (Flink's, such as the state backend and checkpoint interval,
 * go under {@code flink:}).
 *
 * @param window how long changes for one (contact, list) collapse before their net effect is sent
 * @param userTtl how long a user may be inactive before they are removed from their lists and
 *     their state is dropped; empty = never
 * @param deadLetterDir file mode: where rejected input records ({@code rejects/}) and operations a
 *     destination refused ({@code dead-letters/}) are written
 * @param watchInterval file mode: how often the input folders are scanned for new files
 * @param statusInterval how often {@code bin/mirror stream} prints its status line; empty = never
 */
public record StreamSettings(Duration window, Optional<Duration> userTtl, String deadLetterDir, Duration watchInterval,
        Optional<Duration> statusInterval) {}

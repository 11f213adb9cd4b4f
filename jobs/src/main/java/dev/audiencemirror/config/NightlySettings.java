package dev.audiencemirror.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The nightly mirror run: where it keeps what it last synced (a Flink file-system location), where
 * it writes each run's report and plan, and when it refuses to push.
 *
 * @param streamJob the streaming job that writes some of the same lists ({@code nightly.stream-config}),
 *     to which this run hands its export for those lists ({@link ListOwnership})
 */
public record NightlySettings(String stateDir, Path runsDir, double rejectThreshold, double maxRemovalRatio,
        Optional<StreamJobConfig> streamJob) {}

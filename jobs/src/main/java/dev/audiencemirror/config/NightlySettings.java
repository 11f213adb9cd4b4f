package dev.audiencemirror.config;

import java.nio.file.Path;

/**
 * The nightly mirror run: where it keeps what it last synced (a Flink file-system location), where
 * it writes each run's report and plan, and when it refuses to push.
 */
public record NightlySettings(String stateDir, Path runsDir, double rejectThreshold, double maxRemovalRatio) {}

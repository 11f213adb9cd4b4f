package dev.audiencemirror.config;

import java.util.Optional;

/**
 * File inputs: snapshots for the nightly run, a watched folder for a local streaming run. Each is
 * a location Flink's file systems understand (a local path, {@code s3://...}, {@code hdfs://...}).
 */
public record InputSettings(
        Optional<String> identities, Optional<String> memberships, Optional<String> segments, Optional<String> events) {

    public static InputSettings none() {
        return new InputSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}

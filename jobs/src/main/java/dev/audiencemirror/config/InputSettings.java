package dev.audiencemirror.config;

import java.util.Optional;

/**
 * File inputs: snapshots for the nightly run, a watched folder for a local streaming run. Each is
 * a location Flink's file systems understand (a local path, {@code s3://...}, {@code hdfs://...}).
 *
 * @param assertions the streaming job in file mode: the watched folder of the nightly run's
 *     membership assertions (where a nightly run whose {@code nightly.stream-config} names this
 *     config writes them)
 * @param asOf the nightly run: a file holding the export's as-of time (one ISO 8601 instant)
 */
public record InputSettings(
        Optional<String> identities, Optional<String> memberships, Optional<String> segments, Optional<String> events,
        Optional<String> assertions, Optional<String> asOf) {

    public static InputSettings none() {
        return new InputSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.parse.IsoInstants;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The export's as-of time: the instant up to which its snapshot reflects every event. What this
 * run hands the streaming job is stamped with it, so it decides which changes win; a run that
 * hands nothing over does not need it. Given as {@code --as-of} or in the file
 * {@code inputs.as-of} (one ISO 8601 instant, as the export writes it); a missing one fails the run
 * before anything is read, and so does one in the future, which would let the export override the
 * stream's newer changes.
 */
final class ExportAsOf {
    /** Clock skew tolerated between the export's writer and this machine. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    private ExportAsOf() {}

    static Instant resolve(MirrorConfig config, Optional<Instant> given, Clock clock) throws NightlyInputs.InvalidException {
        ListOwnership ownership = ListOwnership.of(config);
        Instant asOf;
        String from;
        if (given.isPresent()) {
            asOf = given.get();
            from = "--as-of";
        } else if (config.inputs().asOf().isPresent()) {
            from = "inputs.as-of";
            asOf = read(config.inputs().asOf().get());
        } else {
            throw new NightlyInputs.InvalidException(List.of("the export's as-of time is missing: lists "
                    + ownership.handedOffLists().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " are written by the streaming job (nightly.stream-config: "
                    + ownership.streamJob().orElseThrow().source() + "), and what this run hands it is stamped with that"
                    + " time; give --as-of 2026-12-02T02:00:00Z, or inputs.as-of (a file holding it)"));
        }
        Instant now = clock.instant();
        if (asOf.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new NightlyInputs.InvalidException(List.of(from + ": the as-of time " + asOf + " is in the future (now "
                    + now + "): it would let this export override the streaming job's newer changes"));
        }
        return asOf;
    }

    private static Instant read(String location) throws NightlyInputs.InvalidException {
        String text;
        try {
            Path path = new Path(location);
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) {
                throw new NightlyInputs.InvalidException(List.of("inputs.as-of: " + location + " does not exist"));
            }
            try (InputStream in = fs.open(path)) {
                text = new String(in.readNBytes(200), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            throw new NightlyInputs.InvalidException(List.of("inputs.as-of: " + location + " cannot be read ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
        }
        try {
            return parse(text);
        } catch (DateTimeParseException e) {
            throw new NightlyInputs.InvalidException(List.of("inputs.as-of: " + location + " holds '"
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    + "', not an ISO 8601 instant with a zone offset such as 2026-12-02T02:00:00Z"));
        }
    }

    /** An ISO 8601 instant with a zone offset, as event times are written. */
    static Instant parse(String text) {
        return IsoInstants.parse(text.strip());
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.InputFiles;
import dev.audiencemirror.membership.CsvColumns;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.core.fs.Path;

/**
 * The nightly run's inputs, checked before Flink starts (by {@code check} and by every run): each
 * configured input exists and can be read, and each membership CSV's header names the columns
 * the run needs (a first line that is neither a header we know nor a row is a header we do not
 * know: {@link CsvColumns}); for {@code check}, also the export's as-of time in {@code inputs.as-of},
 * read as the run reads it ({@link ExportAsOf}). Gives the column layout per membership file for
 * the plan job.
 */
public final class NightlyInputs {
    /** Something is wrong with the inputs; each problem names its key. */
    public static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        public InvalidException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private NightlyInputs() {}

    /**
     * The problems of every configured input, each naming its key; empty when all can be read. The
     * export's as-of time is read from {@code inputs.as-of} as a run without {@code --as-of} reads it.
     */
    public static List<String> problems(MirrorConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            membershipLayouts(config, problems);
        } catch (RuntimeException e) {
            problems.add("inputs: " + e.getMessage());
        }
        try {
            asOfFromFile(config, Clock.systemUTC());
        } catch (InvalidException e) {
            problems.addAll(e.problems());
        }
        return problems;
    }

    /** What {@code check} says of the export's as-of time, as a run without {@code --as-of} reads it: one line. */
    public static String describeAsOf(MirrorConfig config) {
        Optional<String> file = config.inputs().asOf();
        if (!ListOwnership.of(config).handsOff()) {
            return "Export as-of time: not needed, no list is handed to the streaming job"
                    + (file.isPresent() ? " (inputs.as-of is not read)" : "") + "\n";
        }
        try {
            return asOfFromFile(config, Clock.systemUTC())
                    .map(t -> "Export as-of time: " + t + ", read from inputs.as-of (" + file.get() + "); what a run hands the"
                            + " streaming job is stamped with it, unless the run is given --as-of\n")
                    .orElse("Export as-of time: inputs.as-of is not set, so every run must be given --as-of (the time up to which"
                            + " the export reflects every event)\n");
        } catch (InvalidException e) {
            return "Export as-of time: " + String.join("; ", e.problems()) + "\n";
        }
    }

    /** The as-of time in {@code inputs.as-of} when the run would read it (it hands lists over), checked as the run checks it. */
    private static Optional<Instant> asOfFromFile(MirrorConfig config, Clock clock) throws InvalidException {
        if (config.inputs().asOf().isEmpty() || !ListOwnership.of(config).handsOff()) {
            return Optional.empty();
        }
        return Optional.of(ExportAsOf.resolve(config, Optional.empty(), clock));
    }

    /** The column layout of each membership CSV file that has a header, by file name. */
    static Map<String, CsvColumns> check(MirrorConfig config) throws InvalidException {
        List<String> problems = new ArrayList<>();
        Map<String, CsvColumns> layouts = membershipLayouts(config, problems);
        if (!problems.isEmpty()) {
            throw new InvalidException(problems);
        }
        return layouts;
    }

    private static Map<String, CsvColumns> membershipLayouts(MirrorConfig config, List<String> problems) {
        Map<String, Optional<String>> inputs = new LinkedHashMap<>();
        inputs.put("inputs.identities", config.inputs().identities());
        inputs.put("inputs.memberships", config.inputs().memberships());
        inputs.put("inputs.segments", config.inputs().segments());
        inputs.forEach((key, location) -> location.flatMap(l -> InputFiles.problem(key, l)).ifPresent(problems::add));
        Map<String, CsvColumns> layouts = new HashMap<>();
        Optional<String> memberships = config.inputs().memberships();
        if (memberships.isEmpty() || !problems.isEmpty()) {
            return layouts;
        }
        Map<String, Optional<CsvColumns>> seen = new HashMap<>();
        try {
            for (Path file : InputFiles.list(new Path(memberships.get()))) {
                Optional<CsvColumns> layout;
                try {
                    List<String> head = InputFiles.headLines(file);
                    layout = head.isEmpty() ? Optional.empty()
                            : CsvColumns.fromFirstLines(head.get(0), head.size() > 1 ? head.get(1) : null);
                } catch (CsvColumns.HeaderException e) {
                    problems.add("inputs.memberships: " + file + ": " + e.getMessage());
                    continue;
                }
                Optional<CsvColumns> before = seen.put(file.getName(), layout);
                if (before != null && !before.equals(layout)) {
                    problems.add("inputs.memberships: two files named " + file.getName()
                            + " have different CSV headers; give them distinct names");
                }
                layout.ifPresent(l -> layouts.put(file.getName(), l));
            }
        } catch (IOException e) {
            problems.add("inputs.memberships: " + memberships.get() + " cannot be read (" + e.getMessage() + ")");
        }
        return layouts;
    }
}

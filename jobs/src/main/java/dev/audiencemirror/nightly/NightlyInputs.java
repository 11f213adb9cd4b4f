package dev.audiencemirror.nightly;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.InputFiles;
import dev.audiencemirror.membership.CsvColumns;
import java.io.IOException;
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
 * the run needs. Gives the column layout per membership file for the plan job.
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

    /** The problems of every configured input, each naming its key; empty when all can be read. */
    public static List<String> problems(MirrorConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            membershipLayouts(config, problems);
        } catch (RuntimeException e) {
            problems.add("inputs: " + e.getMessage());
        }
        return problems;
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
                    Optional<String> first = InputFiles.firstLine(file);
                    layout = first.isEmpty() ? Optional.empty() : CsvColumns.fromFirstLine(first.get());
                } catch (CsvColumns.MissingColumnException e) {
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

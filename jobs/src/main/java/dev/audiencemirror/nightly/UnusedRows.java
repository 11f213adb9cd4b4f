package dev.audiencemirror.nightly;

import dev.audiencemirror.config.MirrorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unknown is not absent, for a whole input. An input with rows none of which is used (each one
 * rejected, or ignored: a cohort that is not activated, a code given again) is one the run did
 * not understand (a header read wrongly, another file), not news that every user left: the run
 * stops there as invalid input. An input with more than half its rows unused, or rejects above
 * {@code nightly.reject-threshold}, was likely not understood either: a refusal then says so
 * instead of advising an override.
 */
final class UnusedRows {
    private UnusedRows() {}

    /** One problem per input that has rows and uses none of them, naming its key, its location and why its rows were left. */
    static List<String> noneUsed(MirrorConfig config, RunReport report) {
        List<String> problems = new ArrayList<>();
        report.inputs.forEach((name, c) -> {
            if (c.rows() > 0 && c.used() <= 0) {
                long ignored = c.rows() - c.rejected();
                problems.add(String.format("inputs.%s: none of the %d rows of %s is used (%d rejected%s, %d ignored%s);"
                        + " that is not every %s gone: nothing was sent; check the file%s", name, c.rows(), location(config, name),
                        c.rejected(), c.rejected() > 0 ? ", listed in " + report.runDir.resolve(PlanOutputs.REJECTS) : "",
                        ignored, whyIgnored(name), name.equals("segments") ? "segment" : "user", hint(config, name)));
            }
        });
        return problems;
    }

    /** The inputs this run likely did not understand, each with its counts, e.g. {@code inputs.memberships (3000 of its 3434 rows unused)}. */
    static List<String> likelyNotUnderstood(RunReport report, double rejectThreshold) {
        List<String> out = new ArrayList<>();
        report.inputs.forEach((name, c) -> {
            long unused = c.rows() - c.used();
            if (c.rows() > 0 && (2 * unused > c.rows() || (double) c.rejected() / c.lines() > rejectThreshold)) {
                out.add(String.format("inputs.%s (%d of its %d rows not used: %d rejected, %d ignored)", name, unused, c.rows(),
                        c.rejected(), unused - c.rejected()));
            }
        });
        return out;
    }

    private static String location(MirrorConfig config, String input) {
        Optional<String> location = switch (input) {
            case "identities" -> config.inputs().identities();
            case "memberships" -> config.inputs().memberships();
            case "segments" -> config.inputs().segments();
            default -> Optional.empty();
        };
        return location.orElse("the input");
    }

    private static String whyIgnored(String input) {
        return switch (input) {
            case "memberships" -> ": their cohort is not activated";
            case "segments" -> ": a code given again";
            default -> "";
        };
    }

    private static String hint(MirrorConfig config, String input) {
        if (!input.equals("memberships")) {
            return "";
        }
        Map<String, Long> activations = config.activations();
        return " (a CSV file is read by its header, else by position as user_id,cohort) and the activated cohorts ("
                + String.join(", ", activations.keySet()) + ")";
    }
}

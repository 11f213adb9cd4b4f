package dev.audiencemirror.nightly;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gathers the plan job's part files into one {@code plan.jsonl} (what the push sends and the
 * journal records), keeping the first operations per list and for the import for the terminal.
 */
final class PlanFile {
    /** Operations shown per list (and for the import) in a dry run's terminal plan. */
    static final int PREVIEW = 5;

    private PlanFile() {}

    static Path write(Path runDir, RunReport report) throws IOException {
        Path planFile = runDir.resolve("plan.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(planFile, StandardCharsets.UTF_8)) {
            for (String kind : List.of("list-ops", "segment-ops")) {
                for (Path part : parts(runDir.resolve("plan").resolve(kind))) {
                    try (Stream<String> lines = Files.lines(part, StandardCharsets.UTF_8)) {
                        for (String line : (Iterable<String>) lines::iterator) {
                            if (!line.isBlank()) {
                                out.write(line);
                                out.newLine();
                                preview(report, PlannedOperation.decode(line));
                            }
                        }
                    }
                }
            }
        }
        return planFile;
    }

    private static void preview(RunReport report, PlannedOperation op) {
        if (op instanceof PlannedOperation.ListOp l) {
            RunReport.ListCounts c = report.lists.get(l.listId());
            if (c != null && c.preview.size() < PREVIEW) {
                c.preview.add(l.action() + " contact " + l.contactId() + " list " + l.listId());
            }
        } else if (op instanceof PlannedOperation.SegmentOp s && report.segmentPreview.size() < PREVIEW) {
            report.segmentPreview.add(s.action() + " segment " + s.code());
        }
    }

    /** The finished part files of a file sink's output folder (in-progress files start with a dot). */
    static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}

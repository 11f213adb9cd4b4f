package dev.audiencemirror.files;

import dev.audiencemirror.parse.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.UnsupportedFileSystemSchemeException;

/**
 * Input locations checked before any job starts, through Flink's file systems (local, {@code s3://},
 * {@code hdfs://} with the cluster's plugins): a missing or unreadable input is a configuration
 * problem named by its key, not a stack trace from inside a job.
 */
public final class InputFiles {
    /** In Flink's message for a scheme it has no file system for: the plugins that would give one. */
    private static final Pattern PLUGINS = Pattern.compile("following plugin\\(s\\): ([^.]+)\\.");

    private InputFiles() {}

    /** What is wrong with input {@code key} at {@code location}, or empty when it can be read. */
    public static Optional<String> problem(String key, String location) {
        Path path;
        FileSystem fs;
        try {
            path = new Path(location);
            fs = path.getFileSystem();
        } catch (UnsupportedFileSystemSchemeException e) {
            return Optional.of(key + ": " + location + ": " + noFileSystem(new Path(location), e));
        } catch (IOException | RuntimeException e) {
            return Optional.of(key + ": " + location + ": no file system for it (" + firstLine(e) + ")");
        }
        try {
            if (!fs.exists(path)) {
                return Optional.of(key + ": " + location + " does not exist");
            }
            List<Path> files = list(path);
            if (files.isEmpty()) {
                return Optional.of(key + ": " + location + " is a folder with no input files in it");
            }
            try (InputStream in = fs.open(files.get(0))) {
                in.read();
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(key + ": " + location + " cannot be read (" + firstLine(e) + ")");
        }
    }

    /**
     * One line for a scheme this process has no file system for, in place of Flink's paragraph:
     * the plugins Flink names for it, and where they are looked for.
     */
    private static String noFileSystem(Path path, UnsupportedFileSystemSchemeException e) {
        Matcher plugins = PLUGINS.matcher(String.valueOf(e.getMessage()));
        String which = plugins.find() ? " (" + plugins.group(1).strip() + ")" : "";
        return "no file system for " + path.toUri().getScheme() + ":// here; Flink loads it as a plugin" + which
                + " from the folder FLINK_PLUGINS_DIR names (bin/mirror: plugins/ in the checkout; README, \"Inputs on S3\")";
    }

    /** An exception's message as one line: a file system's may run to a paragraph. */
    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int end = m.indexOf('\n');
        return end < 0 ? m : m.substring(0, end).strip();
    }

    /**
     * The files {@code location} stands for, as Flink's file source reads them: the file itself, or
     * every file below the folder, skipping hidden ones (names starting with '.' or '_').
     */
    public static List<Path> list(Path location) throws IOException {
        FileSystem fs = location.getFileSystem();
        FileStatus status = fs.getFileStatus(location);
        List<Path> out = new ArrayList<>();
        if (!status.isDir()) {
            out.add(location);
            return out;
        }
        collect(fs, location, out);
        out.sort(java.util.Comparator.comparing(Path::toString));
        return out;
    }

    private static void collect(FileSystem fs, Path dir, List<Path> out) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return;
        }
        for (FileStatus c : children) {
            String name = c.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            if (c.isDir()) {
                collect(fs, c.getPath(), out);
            } else {
                out.add(c.getPath());
            }
        }
    }

    /**
     * The first line of a file and the first non-blank line after it (decompressed when the file
     * ends in {@code .gz}): none for an empty file, one when no other line has text.
     */
    public static List<String> headLines(Path file) throws IOException {
        FileSystem fs = file.getFileSystem();
        List<String> out = new ArrayList<>(2);
        try (InputStream raw = fs.open(file);
                InputStream in = file.getName().endsWith(".gz") ? new GZIPInputStream(raw, 8192) : raw;
                LineReader lines = new LineReader(in)) {
            for (LineReader.Line line = lines.next(); line != null && out.size() < 2; line = lines.next()) {
                String text = new String(line.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (out.isEmpty() || !text.isBlank()) {
                    out.add(text);
                }
            }
        }
        return out;
    }
}

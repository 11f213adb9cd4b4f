package dev.audiencemirror.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Cuts each file into {@link LineRangeSplit}s of about {@code splitBytes}, so one large file is
 * read by several readers while every line keeps the number it has in the whole file. Files and
 * folders are walked as Flink's file source walks them (hidden files skipped).
 *
 * <p>A file larger than one split is read once here, its parts in parallel: each part's line
 * breaks are counted and its first one found. A range starts just after the first line break of
 * its part, so no line spans two ranges, and its first line's number is one more than the breaks
 * before it. Compressed files ({@code .gz}) cannot be cut: each is one split.
 */
final class LineRangeEnumerator extends NonSplittingRecursiveEnumerator {
    /** Past this many parts a file's ranges grow instead: each part costs a seek and a task. */
    static final int MAX_PARTS = 1 << 16;
    private static final int BUFFER = 256 * 1024;

    private final long splitBytes;

    LineRangeEnumerator(long splitBytes) {
        if (splitBytes < 1) {
            throw new IllegalArgumentException("splitBytes must be at least 1, got " + splitBytes);
        }
        this.splitBytes = splitBytes;
    }

    static boolean splittable(Path file) {
        return !file.getName().endsWith(".gz");
    }

    @Override
    protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target) throws IOException {
        long size = file.getLen();
        int parts = splittable(file.getPath()) ? (int) Math.min(MAX_PARTS, Math.max(1, ceilDiv(size, splitBytes))) : 1;
        if (parts == 1) {
            target.add(split(file, 0, size, 1));
            return;
        }
        Part[] scanned = scan(fs, file.getPath(), size, parts);
        long start = 0;
        long firstLine = 1;
        long breaksBefore = 0;
        for (int k = 1; k < parts; k++) {
            breaksBefore += scanned[k - 1].breaks;
            long boundary = scanned[k].firstBreak + 1;
            if (scanned[k].firstBreak < 0 || boundary >= size) {
                continue; // no line starts in this part: the range before it goes on
            }
            target.add(split(file, start, boundary - start, firstLine));
            start = boundary;
            firstLine = breaksBefore + 2;
        }
        target.add(split(file, start, size - start, firstLine));
    }

    private LineRangeSplit split(FileStatus file, long offset, long length, long firstLine) {
        return new LineRangeSplit(getNextId(), file.getPath(), offset, length, file.getModificationTime(), file.getLen(), firstLine, null);
    }

    /** Part {@code k} of {@code parts}: its line breaks and the file position of its first one (-1 for none). */
    private record Part(long breaks, long firstBreak) {}

    private static Part[] scan(FileSystem fs, Path path, long size, int parts) throws IOException {
        int threads = Math.min(parts, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "line-ranges " + path.getName());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Part>> futures = new ArrayList<>(parts);
            for (int k = 0; k < parts; k++) {
                long from = size / parts * k + Math.min(k, size % parts);
                long to = size / parts * (k + 1) + Math.min(k + 1, size % parts);
                futures.add(pool.submit(() -> scanPart(fs, path, from, to)));
            }
            Part[] out = new Part[parts];
            for (int k = 0; k < parts; k++) {
                out[k] = futures.get(k).get();
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while cutting " + path + " into line ranges", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io
                    : cause instanceof UncheckedIOException u ? u.getCause()
                    : new IOException("could not cut " + path + " into line ranges: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Part scanPart(FileSystem fs, Path path, long from, long to) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, to - from))];
        long breaks = 0;
        long first = -1;
        try (FSDataInputStream in = fs.open(path)) {
            in.seek(from);
            long pos = from;
            while (pos < to) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, to - pos));
                if (n < 0) {
                    throw new IOException(path + " is shorter than listed (" + pos + " bytes, expected at least " + to
                            + "): it changed while being read");
                }
                int i = 0;
                if (first < 0) {
                    while (i < n && buf[i] != '\n') {
                        i++;
                    }
                    if (i < n) {
                        first = pos + i;
                    }
                }
                for (; i < n; i++) {
                    if (buf[i] == '\n') {
                        breaks++;
                    }
                }
                pos += n;
            }
        }
        return new Part(breaks, first);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

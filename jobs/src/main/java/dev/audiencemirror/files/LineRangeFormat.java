package dev.audiencemirror.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads a {@link LineRangeSplit} as numbered lines: its bytes only, numbered from the split's
 * first line. Files ending in {@code .gz} are decompressed (they are one split). A restore skips
 * the lines already emitted.
 */
final class LineRangeFormat implements BulkFormat<NumberedLine, LineRangeSplit> {
    private static final long serialVersionUID = 1L;

    @Override
    public Reader<NumberedLine> createReader(Configuration config, LineRangeSplit split) throws IOException {
        Path path = split.path();
        FileSystem fs = path.getFileSystem();
        long size = fs.getFileStatus(path).getLen();
        if (size != split.fileSize()) {
            // The ranges and their line numbers were cut from the file as it was listed.
            throw new IOException(path + " changed while the run read it (" + split.fileSize() + " bytes when listed, "
                    + size + " now); run again on a complete export");
        }
        FSDataInputStream raw = fs.open(path);
        InputStream in;
        if (LineRangeEnumerator.splittable(path)) {
            raw.seek(split.offset());
            in = new Bounded(raw, split.length());
        } else {
            in = new GZIPInputStream(raw, 64 * 1024);
        }
        return new NumberedLinesReader(path.getName(), split.firstLine(), in, split);
    }

    @Override
    public Reader<NumberedLine> restoreReader(Configuration config, LineRangeSplit split) throws IOException {
        return createReader(config, split);
    }

    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<NumberedLine> getProducedType() {
        return TypeInformation.of(NumberedLine.class);
    }

    /** The next {@code remaining} bytes of a stream, then its end. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long remaining;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

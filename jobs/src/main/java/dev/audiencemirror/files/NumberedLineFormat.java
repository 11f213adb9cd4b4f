package dev.audiencemirror.files;

import dev.audiencemirror.parse.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads files as numbered lines for {@link org.apache.flink.connector.file.src.FileSource}. Flink's
 * own text format gives no line numbers, and the rejects file must say which line was bad. Files
 * ending in {@code .gz} are decompressed. A file is one split (line numbers need the whole file);
 * a restore skips the lines already emitted.
 */
public final class NumberedLineFormat implements BulkFormat<NumberedLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 1024;

    @Override
    public Reader<NumberedLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LinesReader(split.path(), skip);
    }

    @Override
    public Reader<NumberedLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return createReader(config, split);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<NumberedLine> getProducedType() {
        return TypeInformation.of(NumberedLine.class);
    }

    private static final class LinesReader implements Reader<NumberedLine> {
        private final String source;
        private final LineReader lines;
        private long emitted;

        LinesReader(Path path, long skip) throws IOException {
            this.source = path.getName();
            FileSystem fs = path.getFileSystem();
            FSDataInputStream raw = fs.open(path);
            InputStream in = path.getName().endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
            this.lines = new LineReader(in);
            for (long i = 0; i < skip && lines.next() != null; i++) {
                emitted++;
            }
        }

        @Override
        public RecordIterator<NumberedLine> readBatch() throws IOException {
            List<NumberedLine> batch = new ArrayList<>(BATCH);
            LineReader.Line line;
            while (batch.size() < BATCH && (line = lines.next()) != null) {
                batch.add(new NumberedLine(source, line.number(), line.bytes()));
            }
            if (batch.isEmpty()) {
                return null;
            }
            long before = emitted;
            emitted += batch.size();
            return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, before);
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}

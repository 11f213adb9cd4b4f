package dev.audiencemirror.files;

import dev.audiencemirror.parse.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

/**
 * The reader both line formats hand Flink: a split's bytes as {@link NumberedLine}s in batches,
 * numbered from the split's first line, its position the count of lines emitted so that a restore
 * skips exactly those.
 */
final class NumberedLinesReader implements BulkFormat.Reader<NumberedLine> {
    private static final int BATCH = 1024;

    private final String source;
    private final long lineBase;
    private final LineReader lines;
    private long emitted;

    /**
     * @param source the file's name, as rejects name it
     * @param firstLine the number of the first line in {@code in}
     * @param split where a restore resumes: the lines of it already emitted are skipped
     */
    NumberedLinesReader(String source, long firstLine, InputStream in, FileSourceSplit split) throws IOException {
        this.source = source;
        this.lineBase = firstLine - 1;
        this.lines = new LineReader(in);
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        for (long i = 0; i < skip && lines.next() != null; i++) {
            emitted++;
        }
    }

    @Override
    public BulkFormat.RecordIterator<NumberedLine> readBatch() throws IOException {
        List<NumberedLine> batch = new ArrayList<>(BATCH);
        LineReader.Line line;
        while (batch.size() < BATCH && (line = lines.next()) != null) {
            batch.add(new NumberedLine(source, lineBase + line.number(), line.bytes()));
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

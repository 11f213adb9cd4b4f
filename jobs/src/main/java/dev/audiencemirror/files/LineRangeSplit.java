package dev.audiencemirror.files;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

/**
 * A byte range of one file that starts at the beginning of a line and ends just after a line
 * break (or at the end of the file), with the number of its first line, so lines read from the
 * middle of a file are numbered as if the whole file had been read from the start.
 */
public final class LineRangeSplit extends FileSourceSplit {
    private static final long serialVersionUID = 1L;

    private final long firstLine;

    /**
     * @param firstLine the 1-based number, in the whole file, of the range's first line
     */
    public LineRangeSplit(String id, Path file, long offset, long length, long modificationTime, long fileSize, long firstLine,
            CheckpointedPosition readerPosition) {
        super(id, file, offset, length, modificationTime, fileSize, new String[0], readerPosition);
        if (firstLine < 1) {
            throw new IllegalArgumentException("firstLine must be at least 1, got " + firstLine);
        }
        this.firstLine = firstLine;
    }

    public long firstLine() {
        return firstLine;
    }

    @Override
    public LineRangeSplit updateWithCheckpointedPosition(CheckpointedPosition position) {
        return new LineRangeSplit(splitId(), path(), offset(), length(), fileModificationTime(), fileSize(), firstLine, position);
    }

    @Override
    public String toString() {
        return "LineRangeSplit{" + path() + " [" + offset() + ", " + (offset() + length()) + ") from line " + firstLine
                + getReaderPosition().map(p -> ", " + p).orElse("") + "}";
    }
}

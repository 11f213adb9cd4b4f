package dev.audiencemirror.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads files as numbered lines for {@link org.apache.flink.connector.file.src.FileSource}. Flink's
 * own text format gives no line numbers, and the rejects file must say which line was bad. Files
 * ending in {@code .gz} are decompressed. A file is one split (line numbers need the whole file);
 * a restore skips the lines already emitted.
 */
public final class NumberedLineFormat implements BulkFormat<NumberedLine, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    @Override
    public Reader<NumberedLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        Path path = split.path();
        FSDataInputStream raw = path.getFileSystem().open(path);
        InputStream in = path.getName().endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
        return new NumberedLinesReader(path.getName(), 1, in, split);
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
}

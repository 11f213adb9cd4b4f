package dev.audiencemirror.files;

import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.AbstractFileSource;
import org.apache.flink.connector.file.src.assigners.SimpleSplitAssigner;
import org.apache.flink.connector.file.src.impl.FileSourceReader;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded file source of {@link NumberedLine}s that reads one large file with several readers:
 * files are cut into line-aligned byte ranges ({@link LineRangeEnumerator}) and every line keeps
 * its number in its file, so a rejected line is reported as {@code file:line} however the file
 * was cut. Files and folders as Flink's {@code FileSource} takes them.
 */
public final class NumberedLinesSource extends AbstractFileSource<NumberedLine, LineRangeSplit> {
    private static final long serialVersionUID = 1L;

    /** How many bytes of a file one reader takes at a time; a smaller file is read whole. */
    public static final ConfigOption<MemorySize> SPLIT_SIZE = ConfigOptions.key("audience-mirror.input.split-size")
            .memoryType()
            .defaultValue(MemorySize.parse("32m"))
            .withDescription("Bytes of an input file one reader takes at a time; larger files are read in parallel.");

    /**
     * FLINK-40660: a reader whose fetcher idles between splits can miss the fetcher's shutdown
     * hand-over, and then waits this long to end (30 s by default) though every record is out.
     */
    private static final long CLOSE_TIMEOUT_MS = 2_000;

    private final LineRangeFormat format;

    private NumberedLinesSource(Path[] paths, long splitBytes, LineRangeFormat format) {
        super(paths, () -> new LineRangeEnumerator(splitBytes), SimpleSplitAssigner::new, format, null);
        this.format = format;
    }

    @Override
    public SourceReader<NumberedLine, LineRangeSplit> createReader(SourceReaderContext context) {
        Configuration config = new Configuration(context.getConfiguration());
        if (!config.contains(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT)) {
            config.set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, CLOSE_TIMEOUT_MS);
        }
        return new FileSourceReader<>(context, format, config);
    }

    /** The lines of {@code paths}, cut into ranges of about {@code splitSize}. */
    public static NumberedLinesSource of(MemorySize splitSize, Path... paths) {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no paths to read");
        }
        if (splitSize.getBytes() < 1) {
            throw new IllegalArgumentException(SPLIT_SIZE.key() + " must be at least 1 byte, got " + splitSize);
        }
        return new NumberedLinesSource(paths.clone(), splitSize.getBytes(), new LineRangeFormat());
    }

    @Override
    public SimpleVersionedSerializer<LineRangeSplit> getSplitSerializer() {
        return LineRangeSplitSerializer.INSTANCE;
    }
}

package dev.audiencemirror.files;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.AbstractFileSource;
import org.apache.flink.connector.file.src.assigners.SimpleSplitAssigner;
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

    private NumberedLinesSource(Path[] paths, long splitBytes) {
        super(paths, () -> new LineRangeEnumerator(splitBytes), SimpleSplitAssigner::new, new LineRangeFormat(), null);
    }

    /** The lines of {@code paths}, cut into ranges of about {@code splitSize}. */
    public static NumberedLinesSource of(MemorySize splitSize, Path... paths) {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no paths to read");
        }
        if (splitSize.getBytes() < 1) {
            throw new IllegalArgumentException(SPLIT_SIZE.key() + " must be at least 1 byte, got " + splitSize);
        }
        return new NumberedLinesSource(paths.clone(), splitSize.getBytes());
    }

    @Override
    public SimpleVersionedSerializer<LineRangeSplit> getSplitSerializer() {
        return LineRangeSplitSerializer.INSTANCE;
    }
}

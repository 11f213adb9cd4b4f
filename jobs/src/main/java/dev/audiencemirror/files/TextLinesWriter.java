package dev.audiencemirror.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

/**
 * Writes strings as UTF-8 lines, each followed by {@code \n}, for a bulk-format
 * {@link org.apache.flink.connector.file.sink.FileSink}. The same bytes as a row format with
 * {@code SimpleStringEncoder}, but through a buffer: a row format writes each line with two calls
 * on the file and asks the file its size after each line (its rolling policy), which at millions of
 * lines costs more than everything else the job does with them. A part file is finished (flushed)
 * at the end of a batch job's input or at a checkpoint.
 */
public final class TextLinesWriter implements BulkWriter<String> {
    private static final int BUFFER = 64 * 1024;

    private final BufferedOutputStream out;

    private TextLinesWriter(FSDataOutputStream stream) {
        this.out = new BufferedOutputStream(stream, BUFFER);
    }

    /** The factory a {@code FileSink.forBulkFormat} takes. */
    public static BulkWriter.Factory<String> factory() {
        return TextLinesWriter::new;
    }

    @Override
    public void addElement(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        // The sink closes the underlying stream itself.
        out.flush();
    }
}

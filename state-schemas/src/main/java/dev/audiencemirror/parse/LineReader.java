package dev.audiencemirror.parse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into numbered lines ({@code \n} or {@code \r\n}) for the parsers. A line
 * longer than the limit is not held in memory whole: its first {@code limit + 1} bytes are kept
 * (enough for the parser to reject it and for the dead letter to show it) and the rest skipped.
 */
public final class LineReader implements Closeable {

    /**
     * @param number 1-based line number
     * @param bytes the line without its line break
     * @param truncated the line was longer than the limit and {@code bytes} holds only its start
     */
    public record Line(long number, byte[] bytes, boolean truncated) {}

    private final InputStream in;
    private final int limit;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private long number;
    private boolean eof;

    public LineReader(InputStream in) {
        this(in, LineParser.MAX_LINE_BYTES);
    }

    public LineReader(InputStream in, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.in = in;
        this.limit = limit;
    }

    /** The next line, or {@code null} at the end of the stream. */
    public Line next() throws IOException {
        byte[] line = new byte[128];
        int len = 0;
        long seen = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            seen++;
            if (len <= limit) {
                if (len == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, limit + 1));
                }
                line[len++] = b;
            }
        }
        boolean truncated = seen > len;
        if (!truncated && len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return new Line(++number, Arrays.copyOf(line, len), truncated);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

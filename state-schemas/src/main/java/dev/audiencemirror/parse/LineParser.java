package dev.audiencemirror.parse;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one input line into a {@link ParseResult}, never throwing on bad input: a job must not
 * die on a producer's mistake. Checks common to every input (size limit, blank lines, failures of
 * the parser itself) live here; subclasses read the content.
 *
 * <p>Subclasses must be immutable: one instance is shared by all threads of a task and is shipped
 * to the cluster inside Flink functions (hence {@link Serializable}).
 */
public abstract class LineParser<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A line longer than this (in UTF-8 bytes, without its line break) is rejected unread. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    public final ParseResult<T> parse(String source, long position, String line) {
        if (line == null) {
            return reject(source, position, ParseError.WHOLE_LINE, "line is missing (null)", "");
        }
        // A char is at most 3 UTF-8 bytes: count exactly only when the line could be too long.
        if (line.length() > MAX_LINE_BYTES / 3) {
            long bytes = utf8Length(line);
            if (bytes > MAX_LINE_BYTES) {
                return reject(source, position, ParseError.WHOLE_LINE, tooLong(bytes), line);
            }
        }
        if (line.isBlank()) {
            return ParseResult.ignored("blank line");
        }
        try {
            return parseText(line);
        } catch (FieldException e) {
            return reject(source, position, e.field(), e.reason(), line);
        } catch (RuntimeException e) {
            return reject(source, position, ParseError.WHOLE_LINE, unexpected(e), line);
        }
    }

    public final ParseResult<T> parse(String source, long position, byte[] line) {
        if (line == null) {
            return reject(source, position, ParseError.WHOLE_LINE, "line is missing (null)", "");
        }
        if (line.length > MAX_LINE_BYTES) {
            // File readers cut a longer line one byte past the limit: its real length is not known here.
            String reason = line.length == MAX_LINE_BYTES + 1
                    ? "line is longer than allowed: over the 1 MiB limit (" + MAX_LINE_BYTES + " bytes)"
                    : tooLong(line.length);
            return reject(source, position, ParseError.WHOLE_LINE, reason, text(line));
        }
        if (position == 1 && hasByteOrderMark(line)) {
            line = java.util.Arrays.copyOfRange(line, BOM.length, line.length);
        }
        if (isBlank(line)) {
            return ParseResult.ignored("blank line");
        }
        try {
            return parseBytes(line);
        } catch (FieldException e) {
            return reject(source, position, e.field(), e.reason(), text(line));
        } catch (RuntimeException e) {
            return reject(source, position, ParseError.WHOLE_LINE, unexpected(e), text(line));
        }
    }

    /**
     * Whom a line is about, read as leniently as possible, for a line that was rejected: the jobs
     * hold what the destination has for that key instead of taking the bad line as "gone". Empty
     * when the line does not say (not JSON, no such field); by default always empty.
     */
    public java.util.Optional<String> subjectOf(String line) {
        return java.util.Optional.empty();
    }

    /** Reads a non-blank line within the size limit; throws {@link FieldException} for bad input. */
    protected abstract ParseResult<T> parseText(String line);

    /** Same for bytes; by default decodes strict UTF-8 and calls {@link #parseText}. */
    protected ParseResult<T> parseBytes(byte[] line) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
            return parseText(text);
        } catch (CharacterCodingException e) {
            throw new FieldException(ParseError.WHOLE_LINE, "not valid UTF-8");
        }
    }

    private static <T> ParseResult<T> reject(String source, long position, String field, String reason, String raw) {
        return ParseResult.rejected(new ParseError(source == null ? "" : source, position, field, reason, raw));
    }

    private static String tooLong(long bytes) {
        return "line is " + bytes + " bytes, over the 1 MiB limit (" + MAX_LINE_BYTES + " bytes)";
    }

    private static String unexpected(RuntimeException e) {
        return "could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }

    /** Lenient decode for the dead-letter copy: a bad byte must not lose the rest of the line. */
    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** The UTF-8 byte order mark some exporters put before a file's first line; it is not content. */
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static boolean hasByteOrderMark(byte[] line) {
        return line.length >= 3 && line[0] == BOM[0] && line[1] == BOM[1] && line[2] == BOM[2];
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

package dev.audiencemirror.parse;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Why one input line was rejected, precise enough to fix the producer: where the line came from,
 * which field, and what is wrong with it.
 *
 * @param source a label for the input, e.g. a file name or {@code kafka:events/3}
 * @param position the line number (1-based) in a file, or the Kafka offset
 * @param field path of the offending field, e.g. {@code aliases[1].id} or
 *     {@code properties.segment_id}; {@value #WHOLE_LINE} when the line as a whole is bad
 * @param reason what is wrong, naming the expectation and, where short, what was found
 * @param raw the whole line as received, kept for the dead-letter output (use {@link #preview()}
 *     to display it)
 */
@TypeInfo(ParseErrorTypeInfoFactory.class)
public record ParseError(String source, long position, String field, String reason, String raw) {

    /** Field path meaning "the line itself" (not JSON, too long, not an object). */
    public static final String WHOLE_LINE = "$";
    /** Enough of a line to recognise it in a log; a 1 MiB line is not printed whole. */
    public static final int PREVIEW_CHARS = 200;

    public ParseError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        raw = raw == null ? "" : raw;
    }

    /** {@code source:position: field: reason}, the one line to log or count by. */
    public String message() {
        return source + ":" + position + ": " + field + ": " + reason;
    }

    /** The raw line cut to {@value #PREVIEW_CHARS} characters, with its full length if cut. */
    public String preview() {
        if (raw.length() <= PREVIEW_CHARS) {
            return raw;
        }
        return raw.substring(0, PREVIEW_CHARS) + "… (" + raw.length() + " chars)";
    }

    @Override
    public String toString() {
        return message() + " | line: " + preview();
    }
}

package dev.audiencemirror.nightly;

/**
 * What the segment diff reads about one code: a definition from today's input (with where it
 * was read), the definition the last snapshot holds, that an unfinished push or a refused
 * operation left the code's state unknown, or that a line about it was rejected. Definitions are canonical JSON ({@link SegmentJson}).
 */
public record SegmentInput(String code, byte kind, String definition, String source, long line) {
    static final byte TODAY = 0;
    static final byte SYNCED = 1;
    static final byte UNCERTAIN = 2;
    /** A line about the code could not be read. */
    static final byte HELD = 3;

    static SegmentInput today(String code, String definition, String source, long line) {
        return new SegmentInput(code, TODAY, definition, source, line);
    }

    static SegmentInput synced(String code, String definition) {
        return new SegmentInput(code, SYNCED, definition, null, 0);
    }

    static SegmentInput held(String code) {
        return new SegmentInput(code, HELD, null, null, 0);
    }

    static SegmentInput uncertain(String code) {
        return new SegmentInput(code, UNCERTAIN, null, null, 0);
    }
}

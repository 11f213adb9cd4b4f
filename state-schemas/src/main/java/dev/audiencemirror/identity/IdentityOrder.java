package dev.audiencemirror.identity;

import java.time.Instant;
import java.util.Comparator;

/**
 * Which of two identity records of one user stands, in both jobs: the one with the later event
 * time; on the same time the one later in its input, compared by source name, then position (the
 * order within one file or partition, and a fixed if arbitrary order between inputs). The result
 * depends only on the records, never on the order they are read in, and a record read again does
 * not replace itself.
 */
public final class IdentityOrder {
    private static final Comparator<String> SOURCES = Comparator.nullsFirst(Comparator.naturalOrder());

    private IdentityOrder() {}

    /**
     * Whether the record at ({@code time}, {@code source}, {@code position}) replaces the one held,
     * read at ({@code heldTime}, {@code heldSource}, {@code heldPosition}); none held ({@code heldTime}
     * null) is replaced by anything.
     */
    public static boolean replaces(Instant time, String source, long position, Instant heldTime, String heldSource,
            long heldPosition) {
        if (heldTime == null) {
            return true;
        }
        int c = time.compareTo(heldTime);
        if (c != 0) {
            return c > 0;
        }
        c = SOURCES.compare(source, heldSource);
        return c != 0 ? c > 0 : position > heldPosition;
    }
}

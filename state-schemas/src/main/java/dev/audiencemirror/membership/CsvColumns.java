package dev.audiencemirror.membership;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a membership CSV keeps its two columns. A file whose first line names a {@code user_id}
 * or a {@code cohort} column has a header, read by name (any order, any case; other columns are
 * allowed and ignored, but every row must have as many columns as the header). A file without
 * one is read by position: {@code user_id,cohort}, exactly two columns.
 *
 * @param header the header's cells as written (lower-cased), empty for a positional file
 */
public record CsvColumns(int userId, int cohort, int count, List<String> header) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A file without a header: {@code user_id,cohort}. */
    public static final CsvColumns POSITIONAL = new CsvColumns(0, 1, 2, List.of());

    public CsvColumns {
        header = List.copyOf(header);
    }

    /** The layout a file's first line gives: a header's, or empty for a file without one (or a JSON Lines file). */
    public static Optional<CsvColumns> fromFirstLine(String firstLine) throws MissingColumnException {
        String line = firstLine == null ? "" : firstLine.replace("\uFEFF", "");
        if (line.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        List<String> cells = new ArrayList<>();
        for (String c : MembershipRowParser.csvColumns(line)) {
            cells.add(c.strip().toLowerCase(Locale.ROOT));
        }
        int user = cells.indexOf(MembershipRowParser.USER_ID);
        int cohort = cells.indexOf(MembershipRowParser.COHORT);
        if (user < 0 && cohort < 0) {
            return Optional.empty();
        }
        if (user < 0 || cohort < 0) {
            throw new MissingColumnException(user < 0 ? MembershipRowParser.USER_ID : MembershipRowParser.COHORT, cells);
        }
        if (cells.lastIndexOf(MembershipRowParser.USER_ID) != user || cells.lastIndexOf(MembershipRowParser.COHORT) != cohort) {
            throw new MissingColumnException("header names a column twice: " + String.join(",", cells));
        }
        return Optional.of(new CsvColumns(user, cohort, cells.size(), cells));
    }

    boolean hasHeader() {
        return !header.isEmpty();
    }

    /** A CSV header that lacks a column the run needs. */
    public static final class MissingColumnException extends Exception {
        private static final long serialVersionUID = 1L;

        MissingColumnException(String column, List<String> cells) {
            super("the CSV header has no \"" + column + "\" column (it names: " + String.join(", ", cells) + ")");
        }

        MissingColumnException(String message) {
            super(message);
        }
    }
}

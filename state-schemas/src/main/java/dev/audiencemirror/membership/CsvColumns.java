package dev.audiencemirror.membership;

import dev.audiencemirror.parse.FieldException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a membership CSV keeps its two columns. A file whose first line names a {@code user_id}
 * or a {@code cohort} column has a header, read by name (any order, any case; other columns are
 * allowed and ignored, but every row must have as many columns as the header). A file without
 * one is read by position: {@code user_id,cohort}, exactly two columns.
 *
 * <p>A first line that names neither column and is not a row is a header we do not know, and the
 * file cannot be read (unknown is not absent: read by position, its rows would be counted as
 * ignored or rejected and the users as gone). Such a line is one of column names, cells of
 * letters, {@code _}, {@code -}, {@code .} and spaces without a digit ({@code segment_id,uid}),
 * that cannot be a row (not two columns) or stands above a line with a digit in it (user and
 * cohort IDs have digits; a file whose rows have none, {@code alice,sports}, is read as rows).
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

    /**
     * The layout a file's first lines give: a header's, or empty for a file without one (or a JSON
     * Lines file).
     *
     * @param next the first non-blank line after {@code firstLine}, or null when there is none
     */
    public static Optional<CsvColumns> fromFirstLines(String firstLine, String next) throws HeaderException {
        String line = firstLine == null ? "" : firstLine.replace("\uFEFF", "");
        if (line.stripLeading().startsWith("{")) {
            return Optional.empty();
        }
        List<String> cells = new ArrayList<>();
        try {
            for (String c : MembershipRowParser.csvColumns(line)) {
                cells.add(c.strip().toLowerCase(Locale.ROOT));
            }
        } catch (FieldException brokenQuoting) {
            return Optional.empty(); // a broken row, rejected as such; a header is not quoted wrongly
        }
        int user = cells.indexOf(MembershipRowParser.USER_ID);
        int cohort = cells.indexOf(MembershipRowParser.COHORT);
        if (user < 0 && cohort < 0) {
            if (columnNames(cells) && (cells.size() != POSITIONAL.count() || next == null || DIGIT.matcher(next).find())) {
                throw new HeaderException("the first line is a header this run does not know (it names: "
                        + String.join(", ", cells) + "); wanted: a header naming " + MembershipRowParser.USER_ID + " and "
                        + MembershipRowParser.COHORT + " (in any order, other columns ignored), or no header and rows "
                        + MembershipRowParser.USER_ID + "," + MembershipRowParser.COHORT);
            }
            return Optional.empty();
        }
        if (user < 0 || cohort < 0) {
            throw new HeaderException(user < 0 ? MembershipRowParser.USER_ID : MembershipRowParser.COHORT, cells);
        }
        if (cells.lastIndexOf(MembershipRowParser.USER_ID) != user || cells.lastIndexOf(MembershipRowParser.COHORT) != cohort) {
            throw new HeaderException("header names a column twice: " + String.join(",", cells));
        }
        return Optional.of(new CsvColumns(user, cohort, cells.size(), cells));
    }

    private static final Pattern COLUMN_NAME = Pattern.compile("[\\p{L}_][\\p{L}_ .-]*");
    private static final Pattern DIGIT = Pattern.compile("[0-9]");

    /** Whether every cell could be a column's name (and none an ID: no digits). */
    private static boolean columnNames(List<String> cells) {
        return cells.stream().allMatch(c -> COLUMN_NAME.matcher(c).matches());
    }

    boolean hasHeader() {
        return !header.isEmpty();
    }

    /** A first line that is a CSV header the run cannot read the file by: a column missing or named twice, or a header it does not know. */
    public static final class HeaderException extends Exception {
        private static final long serialVersionUID = 1L;

        HeaderException(String column, List<String> cells) {
            super("the CSV header has no \"" + column + "\" column (it names: " + String.join(", ", cells) + ")");
        }

        HeaderException(String message) {
            super(message);
        }
    }
}

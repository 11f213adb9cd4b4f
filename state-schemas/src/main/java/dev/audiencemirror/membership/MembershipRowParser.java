package dev.audiencemirror.membership;

import static dev.audiencemirror.parse.JsonFields.requiredIdText;
import static dev.audiencemirror.parse.JsonFields.requiredString;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.parse.FieldException;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.parse.LineParser;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses membership snapshot lines, in either form (decided per line, so one parser reads both
 * kinds of file; schema {@code schemas/membership.schema.json}):
 *
 * <ul>
 *   <li>CSV, RFC 4180 quoting allowed, columns as {@link CsvColumns} says (by the file's header,
 *       or {@code user_id,cohort} by position); the header line is {@link ParseResult.Ignored};
 *   <li>JSON {@code {"user_id": "u1", "cohort": "1001"}} (cohort may be a whole number).
 * </ul>
 */
public final class MembershipRowParser extends LineParser<MembershipRow> {
    private static final long serialVersionUID = 1L;

    static final String USER_ID = "user_id";
    static final String COHORT = "cohort";

    private final CsvColumns layout;

    /** A parser for files without a header (or JSON Lines): {@code user_id,cohort} by position. */
    public MembershipRowParser() {
        this(CsvColumns.POSITIONAL);
    }

    /** A parser for CSV lines laid out as {@code layout} (from the file's header). */
    public MembershipRowParser(CsvColumns layout) {
        this.layout = java.util.Objects.requireNonNull(layout, "layout");
    }

    @Override
    public java.util.Optional<String> subjectOf(String line) {
        String text = line.replace("\uFEFF", "");
        try {
            if (text.stripLeading().startsWith("{")) {
                return JsonLineParser.textField(text, USER_ID);
            }
            // Leniently: the line may be broken anywhere, including in its quoting.
            String[] cells = text.split(",", -1);
            if (cells.length <= layout.userId()) {
                return java.util.Optional.empty();
            }
            String user = cells[layout.userId()].strip();
            if (user.length() >= 2 && user.startsWith("\"") && user.endsWith("\"")) {
                user = user.substring(1, user.length() - 1);
            }
            return user.isBlank() || user.contains("\"") ? java.util.Optional.empty() : java.util.Optional.of(user);
        } catch (RuntimeException unreadable) {
            return java.util.Optional.empty();
        }
    }

    @Override
    protected ParseResult<MembershipRow> parseText(String line) {
        if (line.stripLeading().startsWith("{")) {
            ObjectNode json = JsonLineParser.readObject(line);
            return ParseResult.ok(new MembershipRow(requiredString(json, "", USER_ID), requiredIdText(json, "", COHORT)));
        }
        List<String> columns = csvColumns(line);
        if (isHeader(columns)) {
            return ParseResult.ignored("CSV header line");
        }
        if (columns.size() != layout.count()) {
            throw new FieldException(ParseError.WHOLE_LINE, layout.hasHeader()
                    ? "must have " + layout.count() + " comma-separated columns, as the header (" + String.join(",", layout.header())
                            + "), got " + columns.size()
                    : "must have 2 comma-separated columns (user_id,cohort), got " + columns.size());
        }
        String userId = columns.get(layout.userId());
        String cohort = columns.get(layout.cohort());
        if (userId.isBlank()) {
            throw new FieldException(USER_ID, "must not be empty");
        }
        if (cohort.isBlank()) {
            throw new FieldException(COHORT, "must not be empty");
        }
        return ParseResult.ok(new MembershipRow(userId, cohort));
    }

    private boolean isHeader(List<String> columns) {
        if (layout.hasHeader()) {
            if (columns.size() != layout.count()) {
                return false;
            }
            for (int i = 0; i < columns.size(); i++) {
                if (!columns.get(i).strip().equalsIgnoreCase(layout.header().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return columns.size() == 2 && columns.get(0).equalsIgnoreCase(USER_ID) && columns.get(1).equalsIgnoreCase(COHORT);
    }

    /** Splits one CSV record; unquoted values are trimmed, quoted ones kept as written. */
    static List<String> csvColumns(String line) {
        String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        List<String> out = new ArrayList<>(2);
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i < n && s.charAt(i) == '"') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new FieldException(column(out.size()), "quoted value is not closed (missing \")");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        if (i < n && s.charAt(i) == '"') {
                            value.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(c);
                    }
                }
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && s.charAt(i) != ',') {
                    throw new FieldException(column(out.size()), "unexpected text after a quoted value");
                }
                out.add(value.toString());
            } else {
                int comma = s.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                out.add(s.substring(i, end).trim());
                i = end;
            }
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static String column(int index) {
        return switch (index) {
            case 0 -> USER_ID;
            case 1 -> COHORT;
            default -> "column " + (index + 1);
        };
    }
}

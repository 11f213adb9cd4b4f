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
 *   <li>CSV {@code user_id,cohort}, RFC 4180 quoting allowed; a header line {@code user_id,cohort}
 *       is {@link ParseResult.Ignored};
 *   <li>JSON {@code {"user_id": "u1", "cohort": "1001"}} (cohort may be a whole number).
 * </ul>
 */
public final class MembershipRowParser extends LineParser<MembershipRow> {
    private static final long serialVersionUID = 1L;

    static final String USER_ID = "user_id";
    static final String COHORT = "cohort";

    @Override
    protected ParseResult<MembershipRow> parseText(String line) {
        if (line.stripLeading().startsWith("{")) {
            ObjectNode json = JsonLineParser.readObject(line);
            return ParseResult.ok(new MembershipRow(requiredString(json, "", USER_ID), requiredIdText(json, "", COHORT)));
        }
        List<String> columns = csvColumns(line);
        if (columns.size() != 2) {
            throw new FieldException(ParseError.WHOLE_LINE, "must have 2 comma-separated columns (user_id,cohort), got "
                    + columns.size());
        }
        String userId = columns.get(0);
        String cohort = columns.get(1);
        if (userId.equalsIgnoreCase(USER_ID) && cohort.equalsIgnoreCase(COHORT)) {
            return ParseResult.ignored("CSV header line");
        }
        if (userId.isBlank()) {
            throw new FieldException(USER_ID, "must not be empty");
        }
        if (cohort.isBlank()) {
            throw new FieldException(COHORT, "must not be empty");
        }
        return ParseResult.ok(new MembershipRow(userId, cohort));
    }

    /** Splits one CSV record; unquoted values are trimmed, quoted ones kept as written. */
    private static List<String> csvColumns(String line) {
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

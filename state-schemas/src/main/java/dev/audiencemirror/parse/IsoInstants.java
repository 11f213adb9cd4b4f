package dev.audiencemirror.parse;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Reads ISO 8601 timestamps with a zone offset exactly as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}
 * does, faster for the shape nearly every record has ({@code 2026-11-27T05:00:00Z},
 * {@code 2026-11-27T05:00:00.123+01:00}): that shape is read digit by digit; anything else, and any
 * value out of range, goes to the formatter, so what is accepted, refused and returned is the
 * formatter's own answer. The formatter's general parser costs about as much as the rest of
 * parsing a record.
 */
public final class IsoInstants {
    private IsoInstants() {}

    /**
     * @throws java.time.format.DateTimeParseException as the formatter does for text it refuses
     */
    public static Instant parse(CharSequence text) {
        Instant fast = fastPath(text);
        return fast != null ? fast : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} with every field in range, else {@code null}. */
    static Instant fastPath(CharSequence s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0 || om > 59 || oh * 60 + om > 18 * 60) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay(); // refuses 2026-02-30, as the formatter does
        } catch (DateTimeException e) {
            return null;
        }
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The {@code count} ASCII digits at {@code from} as a number, or -1 if any is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

package dev.audiencemirror.parse;

/**
 * The shape of Adestra's numeric IDs (contacts and lists): a positive whole number in plain
 * decimal. Leading zeros are refused so that one contact cannot appear under two keys
 * ({@code 0123} and {@code 123}), which would break per-key ordering.
 */
public final class NumericId {
    private NumericId() {}

    /** Up to 18 digits always fits a {@code long}. */
    public static final int MAX_DIGITS = 18;

    /**
     * {@code null} when {@code value} is a valid ID, otherwise why not (without the field name).
     *
     * @param what the kind of ID for the message, e.g. {@code Adestra contact ID}
     */
    public static String problem(String value, String what) {
        if (value == null || value.isEmpty()) {
            return "must be a numeric " + what + ", got an empty value";
        }
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return "must be a numeric " + what + " (digits only), got \"" + shorten(value) + "\"";
            }
        }
        if (value.charAt(0) == '0') {
            return "must be a positive numeric " + what + " without leading zeros, got \"" + shorten(value) + "\"";
        }
        if (n > MAX_DIGITS) {
            return "must be a numeric " + what + " of at most " + MAX_DIGITS + " digits, got " + n + " digits";
        }
        return null;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}

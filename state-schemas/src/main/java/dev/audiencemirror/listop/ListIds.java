package dev.audiencemirror.listop;

import dev.audiencemirror.parse.NumericId;

/** Adestra List IDs: numeric, created by the customer beforehand, never by us. */
public final class ListIds {
    private ListIds() {}

    /** {@code null} when {@code value} is a valid List ID, otherwise why not. */
    public static String problem(String value) {
        return NumericId.problem(value, "Adestra list ID");
    }

    /**
     * The List ID in {@code value}.
     *
     * @param field where the value came from, for the message (e.g. {@code activations.sports})
     * @throws IllegalArgumentException naming {@code field} and what is wrong
     */
    public static long parse(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(field + ": " + problem);
        }
        return Long.parseLong(value);
    }
}

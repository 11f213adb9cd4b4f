package dev.audiencemirror.identity;

import dev.audiencemirror.parse.NumericId;

/** Adestra Contact IDs: Adestra's own numeric user ID, kept as text in the records. */
public final class ContactIds {
    private ContactIds() {}

    /** {@code null} when {@code value} is a valid Contact ID, otherwise why not. */
    public static String problem(String value) {
        return NumericId.problem(value, "Adestra contact ID");
    }
}

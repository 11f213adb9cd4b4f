package dev.audiencemirror.sandbox.taxonomy;

/**
 * A PATCH body the API rejects as a whole (400). {@code index} and {@code field} locate the bad row
 * so that a client splitting batches can find it; both are null when the body itself is wrong.
 */
public final class MalformedBatchException extends Exception {

    private final Integer index;
    private final String field;

    public MalformedBatchException(Integer index, String field, String message) {
        super(message, null, false, false);
        this.index = index;
        this.field = field;
    }

    public Integer index() {
        return index;
    }

    public String field() {
        return field;
    }
}

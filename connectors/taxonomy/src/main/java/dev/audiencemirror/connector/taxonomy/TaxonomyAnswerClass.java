package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.ResponseClass;

/**
 * What a Taxonomy API answer means, in one table that the writer and the preflight both read: the
 * statuses this API gives a meaning of its own first, then the rules both connectors share
 * ({@link ResponseClass}: 429, 5xx, timeouts and dropped connections retried; 401/403 stop).
 */
enum TaxonomyAnswerClass {
    /** 2xx: the batch was taken; row errors, if any, are in the body. */
    APPLIED,
    /** 401: the key is not valid. Stops the job. */
    INVALID_KEY,
    /** 403: the key cannot write to the import (read-only by default). Stops the job. */
    READ_ONLY_KEY,
    /**
     * 404 or 409 for the whole batch: a row's premise was wrong (an Update or Delete of a code the
     * import lacks, a Create of one it holds; the import itself may be gone too). The import's codes
     * are read again and the batch planned anew; only {@code GET /imports/{id}} answering 404 says
     * the import is gone.
     */
    STALE_CODES,
    /** 400, 413, 422: a row of the batch was refused; split the batch to find it. */
    REJECTED_ROWS,
    /** Worth retrying after a backoff. */
    RETRY,
    /** Anything else: the batch's rows are dead-lettered. */
    PERMANENT;

    /** @param status the HTTP status, 0 when there was no answer ({@code failure} then says why) */
    static TaxonomyAnswerClass of(int status, Throwable failure) {
        if (status == 0) {
            return ResponseClass.ofFailure(failure) == ResponseClass.RETRY ? RETRY : PERMANENT;
        }
        switch (status) {
            case 401:
                return INVALID_KEY;
            case 403:
                return READ_ONLY_KEY;
            case 404, 409:
                return STALE_CODES;
            case 400, 413, 422:
                return REJECTED_ROWS;
            default:
                break;
        }
        return switch (ResponseClass.ofStatus(status)) {
            case SUCCESS -> APPLIED;
            case RETRY -> RETRY;
            case AUTH -> INVALID_KEY;
            case PERMANENT -> PERMANENT;
        };
    }
}

package dev.audiencemirror.connector.common;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.apache.flink.annotation.Internal;

/**
 * What an HTTP answer (or the lack of one) means for the operation that caused it: the rules both
 * connectors share, so that 429, 5xx, timeouts and dropped connections are treated alike
 * everywhere. The Adestra connector reads this table as it is; the Taxonomy connector's own table
 * ({@code TaxonomyAnswerClass}) gives a few statuses that API's meaning first and falls back to it.
 */
@Internal
public enum ResponseClass {
    /** Applied. */
    SUCCESS,
    /** Worth retrying after a backoff: throttling, server errors, no answer. */
    RETRY,
    /** The operation itself is wrong (unknown list, bad ID): retrying cannot help; dead-letter it. */
    PERMANENT,
    /** The key is invalid or lacks a permission: every operation would fail; stop the job. */
    AUTH;

    public static ResponseClass ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return RETRY;
        }
        return PERMANENT;
    }

    /**
     * A request that got no answer: a timeout or an I/O failure (refused, reset, closed without a
     * response) may be retried; anything else is a bug on our side and is permanent.
     */
    public static ResponseClass ofFailure(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof IOException || t instanceof HttpTimeoutException ? RETRY : PERMANENT;
    }

    /** A short description of a failure with no answer, for the dead-letter reason. */
    public static String describeFailure(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
}

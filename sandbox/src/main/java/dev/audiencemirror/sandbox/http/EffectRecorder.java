package dev.audiencemirror.sandbox.http;

import java.util.List;

/**
 * Called by an API handler at the moment a request takes effect, while it still holds the lock that
 * orders effects on the same key, so the request log's order is the order of effects.
 */
@FunctionalInterface
public interface EffectRecorder {

    /**
     * @param apiStatus  the status the API itself answers (a fault may still replace it)
     * @param applyOrder for a segment batch, operation indexes in the order applied; else null
     * @param rows       for a segment batch, what each operation did, in request order; else null
     */
    void record(int apiStatus, List<Integer> applyOrder, List<String> rows);

    default void record(int apiStatus, List<Integer> applyOrder) {
        record(apiStatus, applyOrder, null);
    }
}

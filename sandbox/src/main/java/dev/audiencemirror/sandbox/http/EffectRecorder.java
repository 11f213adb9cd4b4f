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
     */
    void record(int apiStatus, List<Integer> applyOrder);
}

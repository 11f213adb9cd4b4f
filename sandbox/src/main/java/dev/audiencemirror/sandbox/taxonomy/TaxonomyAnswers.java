package dev.audiencemirror.sandbox.taxonomy;

import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;

/**
 * How the Taxonomy endpoints answer: {@link PublishedAnswers} (the default, Permutive's published contract) or
 * {@link RowErrorAnswers} (per-row errors inside a 2xx, as Zeotap's guide describes a partially failed batch).
 */
interface TaxonomyAnswers {

    /**
     * @param validKey the request's key if valid, else null (wrong or missing)
     * @param readOnly whether {@code validKey} is the read-only key
     */
    Response handle(Endpoint endpoint, Request request, String validKey, boolean readOnly, EffectRecorder recorder);

    /** The answer of an injected fault with this status (the caller adds {@code Retry-After} to a 429). */
    Response fault(Endpoint endpoint, int status);
}

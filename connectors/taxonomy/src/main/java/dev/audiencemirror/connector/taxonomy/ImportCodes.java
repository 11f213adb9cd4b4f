package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The segment codes the import holds, as the writer last read them ({@code GET
 * /imports/{id}/segments}, every page) and then changed them by its own applied operations. Each
 * row of a batch is planned against it ({@link PendingSegments}): the published API refuses a
 * whole batch for one Create of a code that exists (409) or one Update or Delete of a code that
 * does not (404), so the writer sends Create only for a code the import lacks, Update only for one
 * it holds, and no Delete for an absent code. Unknown until the first read, and again once a
 * whole-request 404 or 409 shows it out of date (the import was edited by someone else).
 *
 * <p>Not thread-safe: the writer's mailbox thread only.
 */
final class ImportCodes {
    private final Set<String> held = new HashSet<>();
    private boolean known;

    /** What a complete read found. */
    void replace(Collection<String> codes) {
        held.clear();
        held.addAll(codes);
        known = true;
    }

    /** The import was changed by someone else: read it again before the next batch. */
    void invalidate() {
        known = false;
    }

    boolean known() {
        return known;
    }

    boolean holds(String code) {
        return held.contains(code);
    }

    /** An operation the API applied. */
    void applied(TaxonomyOperation op) {
        exists(op.code(), op.action() != TaxonomyAction.DELETE);
    }

    /** What a row's answer says about a code (a per-row 409: it exists; 404: it does not). */
    void exists(String code, boolean exists) {
        if (exists) {
            held.add(code);
        } else {
            held.remove(code);
        }
    }

    int size() {
        return held.size();
    }
}

package dev.audiencemirror.sandbox;

/** The destination endpoints the sandbox serves; {@link #label()} is the key used in stats and the log. */
public enum Endpoint {
    /** Reads a list: the connector's preflight checks the key and that the list exists with it. */
    ADESTRA_GET_LIST(Api.ADESTRA, "GET /lists/{list_id}"),
    ADESTRA_ADD(Api.ADESTRA, "POST /contacts/{contact_id}/lists/{list_id}"),
    ADESTRA_REMOVE(Api.ADESTRA, "DELETE /contacts/{contact_id}/lists/{list_id}"),
    TAXONOMY_GET_IMPORT(Api.TAXONOMY, "GET /imports/{import_id}"),
    TAXONOMY_LIST_SEGMENTS(Api.TAXONOMY, "GET /imports/{import_id}/segments"),
    TAXONOMY_PATCH_SEGMENTS(Api.TAXONOMY, "PATCH /imports/{import_id}/segments"),
    /** Any path or method the APIs do not have (answered 404 or 405). */
    OTHER(null, "other");

    /** Which destination an endpoint belongs to; faults can be scoped to one. */
    public enum Api { ADESTRA, TAXONOMY }

    private final Api api;
    private final String label;

    Endpoint(Api api, String label) {
        this.api = api;
        this.label = label;
    }

    /** The destination, or null for {@link #OTHER}. */
    public Api api() {
        return api;
    }

    public String label() {
        return label;
    }
}

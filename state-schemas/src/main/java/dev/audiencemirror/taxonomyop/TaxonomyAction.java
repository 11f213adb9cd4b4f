package dev.audiencemirror.taxonomyop;

/** The Taxonomy API's segment operations: {@code Create}, {@code Update}, {@code Delete}. */
public enum TaxonomyAction {
    CREATE("Create"),
    UPDATE("Update"),
    DELETE("Delete");

    private final String apiName;

    TaxonomyAction(String apiName) {
        this.apiName = apiName;
    }

    /** The spelling in a PATCH body's {@code "operation"} field. */
    public String apiName() {
        return apiName;
    }
}

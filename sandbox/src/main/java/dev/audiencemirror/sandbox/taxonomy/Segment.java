package dev.audiencemirror.sandbox.taxonomy;

import java.util.List;

/**
 * A segment of an audience import as the Taxonomy API returns it; {@code code} is its identity,
 * unique within the import.
 */
public record Segment(String code, String name, String description, Double cpm, List<String> categories) {

    public Segment {
        categories = categories == null ? null : List.copyOf(categories);
    }

    /**
     * This segment as a definition reads it: an empty description, a CPM of 0 and empty categories
     * as absent (the Taxonomy connector sends a field removed from a definition as its empty value).
     */
    public Segment asDefinition() {
        return new Segment(code, name, description == null || description.isEmpty() ? null : description,
                cpm == null || cpm == 0.0 ? null : cpm, categories == null || categories.isEmpty() ? null : categories);
    }

    public static Segment of(String code, String name) {
        return new Segment(code, name, null, null, null);
    }
}

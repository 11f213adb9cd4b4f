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

    public static Segment of(String code, String name) {
        return new Segment(code, name, null, null, null);
    }
}

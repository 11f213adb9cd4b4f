package dev.audiencemirror.segment;

import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A segment of a Permutive audience import, as the Taxonomy API takes it. {@code code} is the
 * segment's stable identity within the import.
 *
 * @param description optional, {@code null} when absent
 * @param cpm optional, {@code null} when absent
 * @param categories optional, {@code null} when absent (an empty list is sent as empty)
 */
@TypeInfo(SegmentDefinitionTypeInfoFactory.class)
public record SegmentDefinition(String code, String name, String description, Double cpm, List<String> categories) {
    public SegmentDefinition {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        categories = categories == null ? null : List.copyOf(categories);
    }
}

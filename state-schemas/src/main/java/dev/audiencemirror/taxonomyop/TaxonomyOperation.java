package dev.audiencemirror.taxonomyop;

import dev.audiencemirror.segment.SegmentDefinition;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One operation on a segment of a Permutive audience import.
 *
 * @param code the segment's code: the key for ordering (two operations on one code never share a
 *     batch, as the API does not keep order inside one)
 * @param data the segment for CREATE and UPDATE; {@code null} for DELETE
 * @param version increases with every operation on the same code; a sink never sends an
 *     operation after one with a higher version for that code
 */
@TypeInfo(TaxonomyOperationTypeInfoFactory.class)
public record TaxonomyOperation(TaxonomyAction action, String code, SegmentDefinition data, long version) {
    public TaxonomyOperation {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(code, "code");
        if (action == TaxonomyAction.DELETE ? data != null : data == null) {
            throw new IllegalArgumentException(action + " of segment " + code
                    + (data == null ? " needs the segment data" : " carries no data"));
        }
    }

    public static TaxonomyOperation create(SegmentDefinition data, long version) {
        return new TaxonomyOperation(TaxonomyAction.CREATE, data.code(), data, version);
    }

    public static TaxonomyOperation update(SegmentDefinition data, long version) {
        return new TaxonomyOperation(TaxonomyAction.UPDATE, data.code(), data, version);
    }

    public static TaxonomyOperation delete(String code, long version) {
        return new TaxonomyOperation(TaxonomyAction.DELETE, code, null, version);
    }
}

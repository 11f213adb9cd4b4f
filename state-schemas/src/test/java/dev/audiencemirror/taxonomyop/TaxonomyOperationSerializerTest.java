package dev.audiencemirror.taxonomyop;

import dev.audiencemirror.segment.SegmentDefinition;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link TaxonomyOperation}. */
class TaxonomyOperationSerializerTest extends SerializerTestBase<TaxonomyOperation> {

    @Override
    protected TypeSerializer<TaxonomyOperation> createSerializer() {
        return TaxonomyOperationSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TaxonomyOperation> getTypeClass() {
        return TaxonomyOperation.class;
    }

    @Override
    protected TaxonomyOperation[] getTestData() {
        return new TaxonomyOperation[] {
            TaxonomyOperation.create(new SegmentDefinition("sports", "Sports", "d", 1.5, List.of("a", "b")), 1),
            TaxonomyOperation.update(new SegmentDefinition("sports", "Sports fans", null, null, null), 2),
            TaxonomyOperation.delete("sports", 3),
            TaxonomyOperation.create(new SegmentDefinition("x", "y", "", 0.0, List.of()), Long.MAX_VALUE)
        };
    }
}

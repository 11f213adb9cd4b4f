package dev.audiencemirror.segment;

import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link SegmentDefinition}. */
class SegmentDefinitionSerializerTest extends SerializerTestBase<SegmentDefinition> {

    @Override
    protected TypeSerializer<SegmentDefinition> createSerializer() {
        return SegmentDefinitionSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SegmentDefinition> getTypeClass() {
        return SegmentDefinition.class;
    }

    @Override
    protected SegmentDefinition[] getTestData() {
        return new SegmentDefinition[] {
            new SegmentDefinition("sports", "Sports", "Read sport weekly", 1.25, List.of("sport", "news")),
            new SegmentDefinition("c", "n", null, null, null),
            new SegmentDefinition("c", "n", null, 0.0, List.of()),
            // longer than writeUTF allows (64 KiB): descriptions are free text
            new SegmentDefinition("long", "Long", "ö".repeat(70_000), Double.MAX_VALUE, List.of("x".repeat(100)))
        };
    }
}

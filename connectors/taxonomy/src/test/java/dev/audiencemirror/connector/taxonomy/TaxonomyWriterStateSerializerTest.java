package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaxonomyWriterStateSerializerTest {
    private final TaxonomyWriterStateSerializer serializer = new TaxonomyWriterStateSerializer();

    @Test
    void roundTripsPendingOperationsInOrderWithEveryOptionalField() throws Exception {
        TaxonomyWriterState state = new TaxonomyWriterState(List.of(
                TaxonomyOperation.create(new SegmentDefinition("sports", "Sports", "Fans of ⚽", 1.25, List.of("a", "ü")), 1),
                TaxonomyOperation.update(new SegmentDefinition("news", "News", null, null, null), 2),
                TaxonomyOperation.update(new SegmentDefinition("empty", "Empty", "", 0.0, List.of()), 3),
                TaxonomyOperation.delete("gone", Long.MAX_VALUE)), java.util.Map.of("refused", 7L, "ü-code", 9L));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
    }

    @Test
    void theFrozenVersion2LayoutIsStillReadWithNoRefusedCodes() throws Exception {
        // Version 2, as 0.3 savepoints hold it: a count, then TaxonomyOperation v1 each.
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        out.writeInt(1);
        dev.audiencemirror.taxonomyop.TaxonomyOperationSerializer.INSTANCE.serialize(TaxonomyOperation.delete("gone", 9), out);
        assertThat(serializer.deserialize(2, out.getCopyOfBuffer()))
                .isEqualTo(new TaxonomyWriterState(List.of(TaxonomyOperation.delete("gone", 9)), java.util.Map.of()));
    }

    @Test
    void theFrozenVersion1LayoutIsStillRead() throws Exception {
        // Version 1, as 0.1 and 0.2 savepoints hold it: its own segment layout, length-prefixed UTF-8.
        var out = new org.apache.flink.core.memory.DataOutputSerializer(128);
        out.writeInt(2);
        out.writeByte(0); // CREATE
        dev.audiencemirror.connector.common.Utf8.write(out, "sports");
        out.writeLong(1);
        dev.audiencemirror.connector.common.Utf8.write(out, "sports");
        dev.audiencemirror.connector.common.Utf8.write(out, "Sports");
        out.writeBoolean(true);
        dev.audiencemirror.connector.common.Utf8.write(out, "Fans of ⚽");
        out.writeBoolean(true);
        out.writeDouble(1.25);
        out.writeInt(1);
        dev.audiencemirror.connector.common.Utf8.write(out, "ü");
        out.writeByte(2); // DELETE
        dev.audiencemirror.connector.common.Utf8.write(out, "gone");
        out.writeLong(9);
        assertThat(serializer.deserialize(1, out.getCopyOfBuffer())).isEqualTo(new TaxonomyWriterState(List.of(
                TaxonomyOperation.create(new SegmentDefinition("sports", "Sports", "Fans of ⚽", 1.25, List.of("ü")), 1),
                TaxonomyOperation.delete("gone", 9))));
    }

    @Test
    void anUnknownVersionIsRefusedWithAdvice() throws Exception {
        byte[] bytes = serializer.serialize(new TaxonomyWriterState(List.of()));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .hasMessageContaining("version 99")
                .hasMessageContaining("savepoint");
    }

    @Test
    void corruptBytesAreRefused() throws Exception {
        var out = new org.apache.flink.core.memory.DataOutputSerializer(16);
        out.writeInt(1);
        out.writeByte(7); // no such action in version 1
        assertThatThrownBy(() -> serializer.deserialize(1, out.getCopyOfBuffer())).hasMessageContaining("action code 7");
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[] {-1, -1, -1, -1})).hasMessageContaining("negative count");
    }
}

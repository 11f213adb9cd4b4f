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
                TaxonomyOperation.delete("gone", Long.MAX_VALUE)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        TaxonomyWriterState empty = new TaxonomyWriterState(List.of());
        assertThat(serializer.deserialize(1, serializer.serialize(empty))).isEqualTo(empty);
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
        byte[] bytes = serializer.serialize(new TaxonomyWriterState(List.of(TaxonomyOperation.delete("x", 1))));
        bytes[4] = 7; // the action code
        assertThatThrownBy(() -> serializer.deserialize(1, bytes)).hasMessageContaining("action code 7");
    }
}

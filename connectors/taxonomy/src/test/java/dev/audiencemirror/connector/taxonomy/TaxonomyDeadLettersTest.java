package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TaxonomyDeadLettersTest {

    static List<TaxonomyOperation> operations() {
        return List.of(
                TaxonomyOperation.create(new SegmentDefinition("sports", "Sports", "Fans of ⚽", 1.25, List.of("a", "ü")), 3),
                TaxonomyOperation.create(new SegmentDefinition("bare", "Bare", null, null, null), 4),
                TaxonomyOperation.update(new SegmentDefinition("news", "News", "daily", 2.0, List.of("x")), 5),
                // An Update sends absent fields as "", 0 and []: read back, they are absent again.
                TaxonomyOperation.update(new SegmentDefinition("thin", "Thin", null, null, null), 6),
                TaxonomyOperation.delete("gone", Long.MAX_VALUE));
    }

    @ParameterizedTest
    @MethodSource("operations")
    void aRefusedOperationIsReadBackWholeToBeSentAgain(TaxonomyOperation op) {
        DeadLetter letter = new DeadLetter(TaxonomyDeadLetters.DESTINATION, SegmentBatchRequestConverter.key("imp", op.code()),
                SegmentBatchRequestConverter.describe(op, "imp"), 422, "refused", 1, 0L);

        assertThat(TaxonomyDeadLetters.operation(DeadLetter.fromJson(letter.toJson()))).isEqualTo(op);
    }
}

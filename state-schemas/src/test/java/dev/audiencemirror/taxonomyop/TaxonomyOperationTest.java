package dev.audiencemirror.taxonomyop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.segment.SegmentDefinition;
import org.junit.jupiter.api.Test;

class TaxonomyOperationTest {

    private static final SegmentDefinition SPORTS = new SegmentDefinition("sports", "Sports", null, null, null);

    @Test
    void createAndUpdateCarryDataDeleteDoesNot() {
        assertThat(TaxonomyOperation.create(SPORTS, 1).code()).isEqualTo("sports");
        assertThat(TaxonomyOperation.update(SPORTS, 2).action().apiName()).isEqualTo("Update");
        assertThat(TaxonomyOperation.delete("sports", 3).data()).isNull();
        assertThatThrownBy(() -> new TaxonomyOperation(TaxonomyAction.CREATE, "sports", null, 1))
                .hasMessageContaining("CREATE of segment sports needs the segment data");
        assertThatThrownBy(() -> new TaxonomyOperation(TaxonomyAction.DELETE, "sports", SPORTS, 1))
                .hasMessageContaining("carries no data");
    }
}

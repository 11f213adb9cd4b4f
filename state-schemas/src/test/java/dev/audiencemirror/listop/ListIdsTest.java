package dev.audiencemirror.listop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListIdsTest {

    @Test
    void parsesANumericListId() {
        assertThat(ListIds.parse("activations.sports", "678")).isEqualTo(678L);
    }

    @Test
    void nonNumericListIdNamesTheFieldAndTheReason() {
        assertThatThrownBy(() -> ListIds.parse("activations.sports", "newsletter"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("activations.sports: must be a numeric Adestra list ID (digits only), got \"newsletter\"");
        assertThatThrownBy(() -> ListIds.parse("activations.sports", ""))
                .hasMessage("activations.sports: must be a numeric Adestra list ID, got an empty value");
        assertThatThrownBy(() -> ListIds.parse("activations.news", "12345678901234567890"))
                .hasMessageStartingWith("activations.news: ")
                .hasMessageContaining("at most 18 digits");
    }

    @Test
    void operationKeyIsContactAndList() {
        ListOperation op = new ListOperation("4711", 678, ListAction.REMOVE, 5L, 2L);
        assertThat(op.key()).isEqualTo(new ListKey("4711", 678));
        assertThat(op.key().toString()).isEqualTo("contact=4711 list=678");
        // Contact IDs are checked by the parsers, not here: tests may build ones Adestra refuses.
        assertThat(new ListOperation("not-a-number", 1, ListAction.ADD, 0, 0).contactId()).isEqualTo("not-a-number");
    }
}

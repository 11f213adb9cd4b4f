package dev.audiencemirror.listsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.listop.ListAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListSyncStateTest {

    @Test
    void theContactBelongsOnTheListWhileAnyUserHoldsIt() {
        ListSyncState s = ListSyncState.EMPTY.withRequest("u1", ListAction.ADD, 10).withRequest("u2", ListAction.ADD, 11);
        assertThat(s.holders()).containsExactly("u1", "u2");
        assertThat(s.pending()).isEqualTo(ListAction.ADD);

        s = s.withRequest("u1", ListAction.REMOVE, 12);
        assertThat(s.pending()).as("u2 still holds it").isEqualTo(ListAction.ADD);
        s = s.withRequest("u3", ListAction.REMOVE, 13);
        assertThat(s.holders()).as("a user who does not hold it changes nothing").containsExactly("u2");
        s = s.withRequest("u2", ListAction.REMOVE, 5);
        assertThat(s.pending()).as("the last holder went").isEqualTo(ListAction.REMOVE);
        assertThat(s.desired()).isEqualTo(ListAction.REMOVE);
        assertThat(s.pendingEventTimeMillis()).isEqualTo(5);
        assertThat(s.holders()).isEmpty();
    }

    @Test
    void sendingClosesTheWindowAndKeepsTheHolders() {
        ListSyncState s = ListSyncState.EMPTY.withRequest("u1", ListAction.ADD, 10);
        assertThat(s.sent()).isNull();

        ListSyncState sent = s.afterSending(ListAction.ADD, 100, 7);
        assertThat(sent).isEqualTo(new ListSyncState(ListAction.ADD, 100, 7, null, 0, List.of("u1")));
        assertThat(sent.hasPending()).isFalse();
        assertThat(sent.withRequest("u1", ListAction.ADD, 1).withoutPending()).isEqualTo(sent);
    }

    @Test
    void holdersMustBeSortedAndDistinct() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ListSyncState(null, 0, 0, null, 0, List.of("u2", "u1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.audiencemirror.listsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.listop.ListAction;
import org.junit.jupiter.api.Test;

class ListSyncStateTest {

    @Test
    void theLatestRequestOfAWindowReplacesEarlierOnesAndSendingClosesTheWindow() {
        ListSyncState s = ListSyncState.EMPTY.withRequest(ListAction.ADD, 10).withRequest(ListAction.REMOVE, 5);
        assertThat(s.pending()).isEqualTo(ListAction.REMOVE);
        assertThat(s.pendingEventTimeMillis()).isEqualTo(5);
        assertThat(s.sent()).isNull();

        ListSyncState sent = s.afterSending(100, 7);
        assertThat(sent).isEqualTo(new ListSyncState(ListAction.REMOVE, 100, 7, null, 0));
        assertThat(sent.hasPending()).isFalse();
        assertThat(sent.withRequest(ListAction.ADD, 1).withoutPending()).isEqualTo(sent);
    }
}

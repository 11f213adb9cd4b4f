package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdestraWriterStateSerializerTest {
    private final AdestraWriterStateSerializer serializer = new AdestraWriterStateSerializer();

    @Test
    void roundTripsPendingOperationsInOrder() throws Exception {
        AdestraWriterState state = new AdestraWriterState(List.of(
                new ListOperation("123", 678, ListAction.ADD, 1_700_000_000_000L, 7),
                new ListOperation("123", 678, ListAction.REMOVE, 1_700_000_000_500L, 8),
                new ListOperation("ünïcode", 9, ListAction.ADD, 0, Long.MAX_VALUE)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        assertThat(serializer.deserialize(1, serializer.serialize(new AdestraWriterState(List.of())))).isEqualTo(new AdestraWriterState(List.of()));
    }

    @Test
    void anUnknownVersionIsRefusedWithAdvice() throws Exception {
        byte[] bytes = serializer.serialize(new AdestraWriterState(List.of()));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .hasMessageContaining("version 99")
                .hasMessageContaining("savepoint");
    }
}

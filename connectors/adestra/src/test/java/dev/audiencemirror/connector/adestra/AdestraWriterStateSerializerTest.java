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
    }

    @Test
    void theFrozenVersion1LayoutIsStillRead() throws Exception {
        // Version 1, as a 0.1 savepoint holds it: action 0 ADD / 1 REMOVE, length-prefixed UTF-8 contact.
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        out.writeInt(2);
        for (Object[] op : new Object[][] {{"123", 0}, {"ünï", 1}}) {
            dev.audiencemirror.connector.common.Utf8.write(out, (String) op[0]);
            out.writeLong(678);
            out.writeByte((Integer) op[1]);
            out.writeLong(1_700_000_000_000L);
            out.writeLong(7);
        }
        assertThat(serializer.deserialize(1, out.getCopyOfBuffer())).isEqualTo(new AdestraWriterState(List.of(
                new ListOperation("123", 678, ListAction.ADD, 1_700_000_000_000L, 7),
                new ListOperation("ünï", 678, ListAction.REMOVE, 1_700_000_000_000L, 7))));
    }

    @Test
    void anUnknownVersionIsRefusedWithAdvice() throws Exception {
        byte[] bytes = serializer.serialize(new AdestraWriterState(List.of()));
        assertThatThrownBy(() -> serializer.deserialize(99, bytes))
                .hasMessageContaining("version 99")
                .hasMessageContaining("savepoint");
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringSink;
import dev.audiencemirror.listop.ListOperation;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Applies Adestra contact list operations: ADD is {@code POST /contacts/{contact}/lists/{list}},
 * REMOVE is {@code DELETE} on the same path.
 *
 * <ul>
 *   <li>Input is keyed by (contact, list) before the writers, so one key is always handled by one
 *       writer, which keeps its operations in order.
 *   <li>Each writer sends operations as they come, at most one in flight per key, and holds every
 *       operation not yet acknowledged in checkpointed state; a restore re-sends only those.
 *   <li>Operations the API refuses for good become {@link DeadLetter}s, handed over at each
 *       checkpoint as committables and routed to the configured dead-letter sink.
 * </ul>
 *
 * See the module README for why this design and what a restore re-sends.
 */
public final class AdestraSink extends DeadLetteringSink<ListOperation, AdestraWriterState>
        implements SupportsPreWriteTopology<ListOperation> {
    private static final long serialVersionUID = 1L;

    private final AdestraSinkConfig config;

    AdestraSink(AdestraSinkConfig config, Sink<DeadLetter> deadLetterSink) {
        super(deadLetterSink, "adestra");
        this.config = config;
    }

    public static AdestraSinkBuilder builder() {
        return new AdestraSinkBuilder();
    }

    public AdestraSinkConfig config() {
        return config;
    }

    @Override
    public AdestraSinkWriter restoreWriter(WriterInitContext context, Collection<AdestraWriterState> recoveredState) {
        return new AdestraSinkWriter(config, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<AdestraWriterState> getWriterStateSerializer() {
        return new AdestraWriterStateSerializer();
    }

    @Override
    public DataStream<ListOperation> addPreWriteTopology(DataStream<ListOperation> input) {
        return input.keyBy(AdestraSink::routingKey);
    }

    static String routingKey(ListOperation op) {
        return op.contactId() + "/" + op.listId();
    }
}

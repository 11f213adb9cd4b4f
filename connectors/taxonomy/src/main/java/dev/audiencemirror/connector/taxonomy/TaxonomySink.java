package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterCommitter;
import dev.audiencemirror.connector.common.DeadLetterOutput;
import dev.audiencemirror.connector.common.DeadLetterSerializer;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Mirrors segment definitions into one Permutive audience import through
 * {@code PATCH /imports/{importId}/segments}, in batches of up to 5,000 operations.
 *
 * <ul>
 *   <li>One sink writes one import and runs with <b>parallelism 1</b> ({@code sinkTo(sink).setParallelism(1)}):
 *       the import takes one batch at a time and the order of operations per code must hold; a
 *       writer started with a higher parallelism fails the job at start, saying so.
 *   <li>The writer sends batches as operations come (full, at a checkpoint, or after the linger
 *       time), one in flight at a time, never two operations on one code in a batch, and holds
 *       every operation not yet finished in checkpointed state; a restore re-sends only those.
 *   <li>Rows the API refuses for good become {@link DeadLetter}s, handed over at each checkpoint as
 *       committables and routed to the configured dead-letter sink.
 * </ul>
 *
 * See the module README for the design and what a restore re-sends.
 */
public final class TaxonomySink
        implements Sink<TaxonomyOperation>,
                SupportsWriterState<TaxonomyOperation, TaxonomyWriterState>,
                SupportsCommitter<DeadLetter>,
                SupportsPostCommitTopology<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final TaxonomySinkConfig config;
    private final Sink<DeadLetter> deadLetterSink;

    TaxonomySink(TaxonomySinkConfig config, Sink<DeadLetter> deadLetterSink) {
        this.config = config;
        this.deadLetterSink = deadLetterSink;
    }

    public static TaxonomySinkBuilder builder() {
        return new TaxonomySinkBuilder();
    }

    public TaxonomySinkConfig config() {
        return config;
    }

    @Override
    public TaxonomySinkWriter createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public TaxonomySinkWriter restoreWriter(WriterInitContext context, Collection<TaxonomyWriterState> recoveredState) {
        return new TaxonomySinkWriter(config, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<TaxonomyWriterState> getWriterStateSerializer() {
        return new TaxonomyWriterStateSerializer();
    }

    @Override
    public Committer<DeadLetter> createCommitter(CommitterInitContext context) {
        return new DeadLetterCommitter();
    }

    @Override
    public SimpleVersionedSerializer<DeadLetter> getCommittableSerializer() {
        return DeadLetterSerializer.INSTANCE;
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<DeadLetter>> committables) {
        // The import in the uids: a job may mirror several imports, one sink each.
        DeadLetterOutput.attach(committables, deadLetterSink, "taxonomy-" + config.importId());
    }
}

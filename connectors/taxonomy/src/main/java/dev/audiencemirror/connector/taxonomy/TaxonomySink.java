package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringSink;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.Collection;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

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
@PublicEvolving
public final class TaxonomySink extends DeadLetteringSink<TaxonomyOperation, TaxonomyWriterState> {
    private static final long serialVersionUID = 1L;

    /**
     * Metric counter of the writer: operations sent once more after the settle delay because an
     * older batch with their code may have been applied late (README, "Late applies").
     */
    public static final String OPERATIONS_RESENT_AFTER_UNCERTAIN = "operationsResentAfterUncertain";

    private final TaxonomySinkConfig config;

    TaxonomySink(TaxonomySinkConfig config, Sink<DeadLetter> deadLetterSink) {
        // The import in the names: a job may mirror several imports, one sink each.
        super(deadLetterSink, "taxonomy-" + config.importId());
        this.config = config;
    }

    public static TaxonomySinkBuilder builder() {
        return new TaxonomySinkBuilder();
    }

    public TaxonomySinkConfig config() {
        return config;
    }

    @Override
    public TaxonomySinkWriter restoreWriter(WriterInitContext context, Collection<TaxonomyWriterState> recoveredState) {
        return new TaxonomySinkWriter(config, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<TaxonomyWriterState> getWriterStateSerializer() {
        return new TaxonomyWriterStateSerializer();
    }
}

package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * A writer's checkpointed state: the operations it had taken and not yet seen finished (in the
 * batch in flight, in re-queued batches, in the buffer), per code oldest first.
 */
@Internal
public record TaxonomyWriterState(List<TaxonomyOperation> pending) {
    public TaxonomyWriterState {
        pending = List.copyOf(pending);
    }
}

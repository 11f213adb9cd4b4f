package dev.audiencemirror.connector.taxonomy;

import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * A writer's checkpointed state: the operations it had taken and not yet seen finished (in the
 * batch in flight, in re-queued batches, in the buffer), per code oldest first; and per code whose
 * newest finished operation was refused, that operation's version, so that a newer one applied
 * later writes the note that supersedes the dead letter ({@code redrive} then leaves it).
 */
@Internal
public record TaxonomyWriterState(List<TaxonomyOperation> pending, Map<String, Long> refusedVersions) {
    public TaxonomyWriterState {
        pending = List.copyOf(pending);
        refusedVersions = Map.copyOf(refusedVersions);
    }

    public TaxonomyWriterState(List<TaxonomyOperation> pending) {
        this(pending, Map.of());
    }
}

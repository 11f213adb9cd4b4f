package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.listop.ListOperation;
import java.util.List;

/** A writer's checkpointed state: the operations it had taken and not yet seen acknowledged. */
public record AdestraWriterState(List<ListOperation> pending) {
    public AdestraWriterState {
        pending = List.copyOf(pending);
    }
}

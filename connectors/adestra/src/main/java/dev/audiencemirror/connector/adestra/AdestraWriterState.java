package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.listop.ListOperation;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** A writer's checkpointed state: the operations it had taken and not yet seen acknowledged. */
@Internal
public record AdestraWriterState(List<ListOperation> pending) {
    public AdestraWriterState {
        pending = List.copyOf(pending);
    }
}

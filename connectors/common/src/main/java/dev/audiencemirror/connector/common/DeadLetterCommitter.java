package dev.audiencemirror.connector.common;

import java.util.Collection;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;

/**
 * Dead letters need no commit on a destination: the committer only marks them done, so that Flink
 * passes them on to the post-commit topology ({@link DeadLetterOutput}) once their checkpoint
 * completes. That keeps the dead-letter output exactly-once with the rest of the job.
 */
@Internal
public final class DeadLetterCommitter implements Committer<DeadLetter> {

    @Override
    public void commit(Collection<CommitRequest<DeadLetter>> requests) {
        // Nothing to apply: a request left without a signal counts as committed.
    }

    @Override
    public void close() {}
}

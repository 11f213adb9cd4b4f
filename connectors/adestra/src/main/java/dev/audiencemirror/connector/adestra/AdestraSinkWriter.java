package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringWriter;
import dev.audiencemirror.listop.ListOperation;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Adestra sink's writer. Operations are sent before it, by {@link AdestraSendOperator} in the
 * sink's pre-write topology, so nothing reaches this writer and its state is always empty. It only
 * takes care of savepoints written before that: their writer state (format v1) holds operations
 * that were not acknowledged, on whichever writer Flink hands them to, which is not the subtask that
 * now owns their keys. Sending them from here could race a newer operation on the owner, so each
 * becomes a dead letter with that reason, and {@code bin/mirror redrive} sends the ones that no
 * newer operation has superseded since.
 */
@Internal
public final class AdestraSinkWriter extends DeadLetteringWriter<ListOperation, AdestraWriterState> {
    private static final Logger LOG = LoggerFactory.getLogger(AdestraSinkWriter.class);

    static final String RESTORED_FROM_OLD_STATE = "not acknowledged when a savepoint of the writer-state format v1 was"
            + " taken; not sent after the restore, as it could race a newer operation: run bin/mirror redrive";

    AdestraSinkWriter(WriterInitContext context, Collection<AdestraWriterState> restored) {
        long now = System.currentTimeMillis();
        int n = 0;
        for (AdestraWriterState state : restored) {
            for (ListOperation op : state.pending()) {
                addDeadLetter(new DeadLetter(AdestraDeadLetters.DESTINATION, ListOperationRequestConverter.key(op),
                        ListOperationRequestConverter.describe(op), 0, RESTORED_FROM_OLD_STATE, 0, now));
                n++;
            }
        }
        if (n > 0) {
            LOG.warn("Adestra writer {}: {} operations restored from writer state v1 go to the dead letters for"
                    + " bin/mirror redrive", context.getTaskInfo().getIndexOfThisSubtask(), n);
        }
    }

    @Override
    public void write(ListOperation op, Context context) {
        throw new IllegalStateException("the Adestra sink sends from its pre-write topology; nothing reaches its writer");
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public List<AdestraWriterState> snapshotState(long checkpointId) {
        return List.of();
    }
}

package dev.audiencemirror.connector.common;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The shape both HTTP sinks share: a writer with checkpointed state, whose refused operations
 * become {@link DeadLetter} committables that a post-commit topology routes to the job's
 * dead-letter sink once their checkpoint completes. A subclass supplies its writer and the
 * serializer of that writer's state, and may add dead letters its pre-write topology produced
 * ({@link #preWriteDeadLetters()}): they go to the same output.
 */
@Internal
public abstract class DeadLetteringSink<InputT, StateT>
        implements Sink<InputT>,
                SupportsWriterState<InputT, StateT>,
                SupportsCommitter<DeadLetter>,
                SupportsPostCommitTopology<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final Sink<DeadLetter> deadLetterSink;
    private final String outputName;

    /**
     * @param outputName names the dead-letter operators in the job graph, e.g. {@code adestra}
     */
    protected DeadLetteringSink(Sink<DeadLetter> deadLetterSink, String outputName) {
        this.deadLetterSink = deadLetterSink;
        this.outputName = outputName;
    }

    @Override
    public final StatefulSinkWriter<InputT, StateT> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public final Committer<DeadLetter> createCommitter(CommitterInitContext context) {
        return new DeadLetterCommitter();
    }

    @Override
    public final SimpleVersionedSerializer<DeadLetter> getCommittableSerializer() {
        return DeadLetterSerializer.INSTANCE;
    }

    @Override
    public final void addPostCommitTopology(DataStream<CommittableMessage<DeadLetter>> committables) {
        DeadLetterOutput.attach(committables, preWriteDeadLetters(), deadLetterSink, outputName);
    }

    /**
     * Dead letters from the sink's pre-write topology, if it has one that sends: Flink expands the
     * pre-write topology before the post-commit one, on the same sink object, so a subclass may
     * keep the stream from the first for the second. Empty by default.
     */
    protected Optional<DataStream<DeadLetter>> preWriteDeadLetters() {
        return Optional.empty();
    }
}

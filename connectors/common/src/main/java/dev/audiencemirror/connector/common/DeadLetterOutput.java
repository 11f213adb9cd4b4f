package dev.audiencemirror.connector.common;

import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Routes the dead letters that a sink's writers hand over as committables (at each checkpoint, and
 * at the end of a bounded input) to the dead-letter sink the job chose: a file or a Kafka topic.
 * Both connectors use it from their post-commit topology. No uids are set here: Flink refuses uids
 * inside a sink's topology unless the sink itself has one, and the connectors must work without.
 * Flink derives uids only for a sink's writer and committer, so these operators are named in
 * savepoints by a hash of their place in the job graph, which an operator added upstream changes
 * (see the root README, "Savepoints").
 */
@Internal
public final class DeadLetterOutput {
    private DeadLetterOutput() {}

    /**
     * @param alsoFrom dead letters that did not come through the committer (a sink's pre-write
     *     topology emits them itself, exactly once with the dead-letter sink's own checkpoints)
     */
    public static void attach(DataStream<CommittableMessage<DeadLetter>> committed,
            Optional<DataStream<DeadLetter>> alsoFrom, Sink<DeadLetter> deadLetterSink, String uidPrefix) {
        DataStream<DeadLetter> letters = committed
                .filter(m -> m instanceof CommittableWithLineage<?>)
                .name(uidPrefix + ": committed dead letters")
                .map(m -> ((CommittableWithLineage<DeadLetter>) m).getCommittable())
                .returns(TypeInformation.of(DeadLetter.class))
                .name(uidPrefix + ": dead letters");
        if (alsoFrom.isPresent()) {
            letters = letters.union(alsoFrom.get());
        }
        letters.sinkTo(deadLetterSink).name(uidPrefix + ": dead-letter output");
    }
}

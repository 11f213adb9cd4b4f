package dev.audiencemirror.connector.common;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Routes the dead letters that a sink's writers hand over as committables (at each checkpoint, and
 * at the end of a bounded input) to the dead-letter sink the job chose: a file or a Kafka topic.
 * Both connectors use it from their post-commit topology. No uids are set here: Flink derives them
 * from the uid the job gives the sink ({@code sinkTo(sink).uid("adestra-sink")}), which keeps
 * savepoints of the dead-letter sink compatible without a second naming scheme.
 */
public final class DeadLetterOutput {
    private DeadLetterOutput() {}

    public static void attach(
            DataStream<CommittableMessage<DeadLetter>> committed, Sink<DeadLetter> deadLetterSink, String uidPrefix) {
        committed
                .filter(m -> m instanceof CommittableWithLineage<?>)
                .name(uidPrefix + ": committed dead letters")
                .map(m -> ((CommittableWithLineage<DeadLetter>) m).getCommittable())
                .returns(TypeInformation.of(DeadLetter.class))
                .name(uidPrefix + ": dead letters")
                .sinkTo(deadLetterSink)
                .name(uidPrefix + ": dead-letter output");
    }
}

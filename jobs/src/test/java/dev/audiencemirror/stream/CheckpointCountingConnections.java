package dev.audiencemirror.stream;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A job's own connections with a {@link CheckpointCounter} after the event source, for tests that count checkpoints. */
final class CheckpointCountingConnections implements StreamConnections {
    private final StreamConnections kafka;

    CheckpointCountingConnections(StreamConnections kafka) {
        this.kafka = kafka;
    }

    @Override
    public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
        return kafka.identities(env);
    }

    @Override
    public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
        return kafka.events(env).map(new CheckpointCounter<NumberedLine>())
                .returns(TypeInformation.of(NumberedLine.class)).name("count checkpoints");
    }

    @Override
    public Optional<DataStream<SegmentRecord>> segments(StreamExecutionEnvironment env) {
        return kafka.segments(env);
    }

    @Override
    public Sink<ParseError> rejects() {
        return kafka.rejects();
    }

    @Override
    public Sink<DeadLetter> deadLetters(String destination) {
        return kafka.deadLetters(destination);
    }
}

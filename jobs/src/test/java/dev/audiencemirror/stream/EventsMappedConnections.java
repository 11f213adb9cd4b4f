package dev.audiencemirror.stream;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import java.util.Optional;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A job's own connections with one step after the event source: a failure injected once, or a checkpoint counter. */
final class EventsMappedConnections implements StreamConnections {
    private final StreamConnections io;
    private final MapFunction<NumberedLine, NumberedLine> step;
    private final String name;

    private EventsMappedConnections(StreamConnections io, MapFunction<NumberedLine, NumberedLine> step, String name) {
        this.io = io;
        this.step = step;
        this.name = name;
    }

    /** Fails the job once ({@link FailOnceAfterCheckpoint}) at the event the test armed it for. */
    static StreamConnections failingOnce(StreamConnections io) {
        return new EventsMappedConnections(io, new FailOnceAfterCheckpoint<NumberedLine>(NumberedLine::number), "inject failure");
    }

    /** Counts completed checkpoints ({@link CheckpointCounter}). */
    static StreamConnections countingCheckpoints(StreamConnections io) {
        return new EventsMappedConnections(io, new CheckpointCounter<NumberedLine>(), "count checkpoints");
    }

    @Override
    public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
        return io.identities(env);
    }

    @Override
    public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
        return io.events(env).map(step).returns(TypeInformation.of(NumberedLine.class)).name(name);
    }

    @Override
    public Optional<DataStream<NumberedLine>> assertions(StreamExecutionEnvironment env) {
        return io.assertions(env);
    }

    @Override
    public Optional<DataStream<SegmentRecord>> segments(StreamExecutionEnvironment env) {
        return io.segments(env);
    }

    @Override
    public Sink<ParseError> rejects() {
        return io.rejects();
    }

    @Override
    public Sink<DeadLetter> deadLetters(String destination) {
        return io.deadLetters(destination);
    }
}

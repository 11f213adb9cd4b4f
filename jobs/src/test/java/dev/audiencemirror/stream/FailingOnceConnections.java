package dev.audiencemirror.stream;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The job's own connections, with a failure injected once ({@link FailOnceAfterCheckpoint}) into the events after the source. */
final class FailingOnceConnections implements StreamConnections {
    private final StreamConnections io;

    FailingOnceConnections(StreamConnections io) {
        this.io = io;
    }

    @Override
    public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
        return io.identities(env);
    }

    @Override
    public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
        return io.events(env)
                .map(new FailOnceAfterCheckpoint<NumberedLine>(NumberedLine::number))
                .returns(TypeInformation.of(NumberedLine.class))
                .name("inject failure");
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

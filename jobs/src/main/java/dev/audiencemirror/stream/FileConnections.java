package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.parse.ParseError;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * File mode, the embedded default: {@code inputs.identities} and {@code inputs.events} (and
 * {@code inputs.assertions}, when a nightly run hands this job its export) are folders (or files) that a FileSource watches, reading every new file once, whole (so a file should be
 * moved in complete, not written in place; names starting with {@code .} or {@code _} are
 * skipped). Rejects and dead letters go to JSON Lines files under {@code stream.dead-letter-dir}
 * ({@link FileOutputs}). There is no segment input in this mode.
 */
final class FileConnections implements StreamConnections {
    private final String identities;
    private final String events;
    private final Optional<String> assertions;
    private final FileOutputs outputs;
    private final Duration watchInterval;

    FileConnections(MirrorConfig config) {
        this.identities = config.inputs().identities()
                .orElseThrow(() -> new IllegalArgumentException("inputs.identities: required without kafka"));
        this.events = config.inputs().events()
                .orElseThrow(() -> new IllegalArgumentException("inputs.events: required without kafka"));
        this.assertions = config.inputs().assertions();
        this.outputs = new FileOutputs(config.stream().deadLetterDir());
        this.watchInterval = config.stream().watchInterval();
    }

    @Override
    public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
        return watched(env, identities, "identities");
    }

    @Override
    public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
        return watched(env, events, "events");
    }

    @Override
    public Optional<DataStream<NumberedLine>> assertions(StreamExecutionEnvironment env) {
        return assertions.map(folder -> watched(env, folder, "assertions"));
    }

    private DataStream<NumberedLine> watched(StreamExecutionEnvironment env, String location, String name) {
        FileSource<NumberedLine> source = FileSource.forBulkFileFormat(new NumberedLineFormat(), new Path(location))
                .monitorContinuously(watchInterval)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "watch " + name).uid(name + "-files");
    }

    @Override
    public Sink<ParseError> rejects() {
        return outputs.rejects();
    }

    @Override
    public Sink<DeadLetter> deadLetters(String destination) {
        return outputs.deadLetters(destination);
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.parse.ParseError;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * File mode, the embedded default: {@code inputs.identities} and {@code inputs.events} are folders
 * (or files) that a FileSource watches, reading every new file once, whole (so a file should be
 * moved in complete, not written in place; names starting with {@code .} or {@code _} are
 * skipped). Rejects and dead letters go to JSON Lines files under {@code stream.dead-letter-dir},
 * finished at each checkpoint.
 */
final class FileConnections implements StreamConnections {
    private final String identities;
    private final String events;
    private final Path deadLetterDir;
    private final Duration watchInterval;

    FileConnections(MirrorConfig config) {
        this.identities = config.inputs().identities()
                .orElseThrow(() -> new IllegalArgumentException("inputs.identities: required without kafka"));
        this.events = config.inputs().events()
                .orElseThrow(() -> new IllegalArgumentException("inputs.events: required without kafka"));
        this.deadLetterDir = new Path(config.stream().deadLetterDir());
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

    private DataStream<NumberedLine> watched(StreamExecutionEnvironment env, String location, String name) {
        FileSource<NumberedLine> source = FileSource.forBulkFileFormat(new NumberedLineFormat(), new Path(location))
                .monitorContinuously(watchInterval)
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "watch " + name).uid(name + "-files");
    }

    @Override
    public Sink<ParseError> rejects() {
        return jsonLines(new Path(deadLetterDir, "rejects"), new ParseErrorJsonEncoder());
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
        return jsonLines(new Path(deadLetterDir, "dead-letters"), new DeadLetterJsonEncoder());
    }

    private static <T> FileSink<T> jsonLines(Path dir, Encoder<T> encoder) {
        return FileSink.forRowFormat(dir, encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.parse.ParseError;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * Rejects and dead letters as JSON Lines files under one directory: {@code rejects/} and
 * {@code dead-letters/<destination>/}, part files finished at each checkpoint (so a file that is
 * not hidden is complete and never rewritten).
 */
final class FileOutputs {
    private final Path dir;

    FileOutputs(String dir) {
        this.dir = new Path(dir);
    }

    Sink<ParseError> rejects() {
        return jsonLines(new Path(dir, "rejects"), new ParseErrorJsonEncoder());
    }

    Sink<DeadLetter> deadLetters(String destination) {
        return jsonLines(new Path(new Path(dir, "dead-letters"), destination), new DeadLetterJsonEncoder());
    }

    private static <T> FileSink<T> jsonLines(Path dir, Encoder<T> encoder) {
        return FileSink.forRowFormat(dir, encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
    }
}

package dev.audiencemirror.files;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The jobs' JSON Lines outputs (rejects, dead letters): {@code part-*.jsonl} files directly in
 * one directory, finished at each checkpoint (a streaming job) or at the end of the input (a
 * batch job), so a file that is not hidden is complete and never rewritten.
 */
public final class JsonLinesSink {
    private JsonLinesSink() {}

    public static <T> FileSink<T> to(Path dir, Encoder<T> encoder) {
        return FileSink.forRowFormat(dir, encoder)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
                .build();
    }
}

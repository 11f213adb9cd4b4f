package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The Flink settings the streaming job runs with. */
class StreamJobConfigurationTest {

    private static MirrorConfig config(String flink) {
        return new ConfigLoader(Map.of()).parse("""
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                %s
                """.formatted(flink), "test.yaml");
    }

    @Test
    void rocksDbWithIncrementalCheckpointsEverySecondAndNoKryoByDefault() {
        Map<String, String> conf = StreamJob.flinkConfiguration(config("")).toMap();
        assertThat(conf).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.interval", "1 s")
                .containsEntry("pipeline.generic-types", "false");
    }

    @Test
    void theConfigsFlinkSectionWinsAndARelativeCheckpointDirIsTakenFromTheWorkingDirectory() {
        Configuration conf = StreamJob.flinkConfiguration(config("""
                flink:
                  state.backend.type: hashmap
                  execution.checkpointing.dir: run/stream/checkpoints
                  execution.checkpointing.savepoint-dir: s3://bucket/savepoints
                """));
        assertThat(conf.toMap()).containsEntry("state.backend.type", "hashmap")
                .containsEntry("execution.checkpointing.dir",
                        Path.of("run/stream/checkpoints").toAbsolutePath().toUri().toString())
                .containsEntry("execution.checkpointing.savepoint-dir", "s3://bucket/savepoints");
    }
}

package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/mirror stream}'s refusals, before any job starts. */
class StreamCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new MirrorCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void isListedAndHasHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("stream");
        assertThat(run("stream", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: bin/mirror stream --config FILE");
    }

    @Test
    void withoutKafkaBothWatchedFoldersAreRequired(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                """);
        assertThat(run("stream", "--config", config.toString())).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("inputs.identities: required for the streaming job without kafka")
                .contains("inputs.events: required for the streaming job without kafka");
    }

    @Test
    void streamSettingsAreCheckedWithTheRestOfTheConfig(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                stream: {window: 5ms, user-ttl: 10s, windw: 1s}
                """);
        assertThat(run("stream", "--config", config.toString())).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("stream.windw: unknown key")
                .contains("stream.window: must be between 10ms and 10m")
                .contains("stream.user-ttl: must be at least 1m, or off");
    }

    @Test
    void resumeNeedsTheCheckpointDirectoryAndNoStartOfItsOwn(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        String yaml = """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: %1$s/in/identities, events: %1$s/in/events}
                nightly: {runs-dir: %1$s/runs}
                """.formatted(dir);
        Files.writeString(config, yaml);
        assertThat(run("stream", "--config", config.toString(), "--resume")).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--resume needs flink: execution.checkpointing.dir in " + config);
        assertThat(run("stream", "--config", config.toString(), "--rebuild-from-earliest")).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rebuild-from-earliest is for Kafka mode");

        Files.writeString(config, yaml + """
                flink:
                  execution.checkpointing.dir: %1$s/checkpoints
                  execution.state-recovery.path: %1$s/savepoints/savepoint-1
                """.formatted(dir));
        assertThat(run("stream", "--config", config.toString(), "--resume")).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--resume and flink: execution.state-recovery.path in " + config + " both say where to start from");
    }

    @Test
    void aStatusIntervalIsAtLeastASecondOrOff(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                stream: {status-interval: 500ms}
                """);
        assertThat(run("check", "--config", config.toString())).isEqualTo(dev.audiencemirror.command.Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stream.status-interval: must be at least 1s, or off; found 500ms");

        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                stream: {status-interval: off}
                """);
        assertThat(run("check", "--config", config.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("stream.status-interval +off");
    }

    @Test
    void checkShowsTheStreamSettingsAndAYamlOffMeansNoTtl(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                stream: {window: 250ms, user-ttl: off}
                """);
        assertThat(run("check", "--config", config.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("stream.window +250ms")
                .containsPattern("stream.user-ttl +off")
                .containsPattern("stream.dead-letter-dir +run/stream")
                .containsPattern("stream.status-interval +10s");
    }
}

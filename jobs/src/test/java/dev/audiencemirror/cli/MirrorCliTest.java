package dev.audiencemirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new MirrorCli().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkPrintsResolvedSettingsWithoutTheSecret(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("adestra-key");
        Files.writeString(key, "tok-ABCDEF-123456");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                adestra:
                  base-url: https://adestra.example.com/api
                  api-key: {file: %s}
                  request-timeout: 15s
                taxonomy:
                  import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0
                """.formatted(key));

        assertThat(run("check", "--config", config.toString())).isZero();
        assertThat(stdout())
                .contains("is valid")
                .contains("1001 -> 678")
                .containsPattern("adestra.api-key +\\*\\*\\*\\* \\(from file " + java.util.regex.Pattern.quote(key.toString()) + "\\)")
                .containsPattern("adestra.request-timeout +15s")
                .doesNotContain("tok-ABCDEF-123456");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void checkSaysWhichJobWritesEachListAndTheRuleForListsInBoth(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ids.jsonl"), "");
        Files.writeString(dir.resolve("m.csv"), "user_id,cohort\n");
        Path stream = dir.resolve("stream.yaml");
        Files.writeString(stream, """
                activations: {"1001": 678, "1003": 681}
                adestra: {max-concurrency: 6}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events, assertions: in/assertions}
                """);
        Path config = dir.resolve("nightly.yaml");
        String nightly = """
                activations: {"1001": 678, "1002": 679}
                adestra: {max-concurrency: 4}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: %1$s/ids.jsonl, memberships: %1$s/m.csv}
                """.formatted(dir);
        Files.writeString(config, nightly + "nightly: {stream-config: " + stream + "}\n");

        assertThat(run("check", "--config", config.toString())).as(stderr()).isZero();
        assertThat(stdout())
                .containsPattern("list 678 +activated in both: the streaming job writes it; this run hands it cohorts \\[1001\\]"
                        + " as assertions stamped with the export's as-of time \\(folder in/assertions\\), and for every"
                        + " \\(contact, list\\) the change about the later event time wins")
                .containsPattern("list 679 +nightly only: this run pushes it")
                .containsPattern("list 681 +streaming only: this run leaves it alone");

        out.reset();
        Files.writeString(config, nightly);
        assertThat(run("check", "--config", config.toString())).isZero();
        assertThat(stdout()).contains("nightly.stream-config is not set, so this nightly run pushes every list it activates"
                + " (678, 679) and assumes no streaming job writes them");
        // Lists handed over, no inputs.as-of: every run needs --as-of.
        out.reset();
        Files.writeString(config, nightly + "nightly: {stream-config: " + stream + "}\n");
        assertThat(run("check", "--config", config.toString())).isZero();
        assertThat(stdout()).contains("Export as-of time: inputs.as-of is not set, so every run must be given --as-of");
    }

    @Test
    void checkReadsTheExportsAsOfTimeAsTheRunDoes(@TempDir Path dir) throws Exception {
        Path stream = nightlyInputsAndStreamConfig(dir);
        Path asOf = dir.resolve("as-of.txt");
        Path config = dir.resolve("nightly.yaml");
        String nightly = """
                activations: {"1001": 678}
                adestra: {max-concurrency: 4}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: %1$s/ids.jsonl, memberships: %1$s/m.csv, as-of: %2$s}
                """.formatted(dir, asOf);
        Files.writeString(config, nightly + "nightly: {stream-config: " + stream + "}\n");

        Files.writeString(asOf, "2026-12-02T02:00:00Z\n");
        assertThat(run("check", "--config", config.toString())).as(stderr()).isZero();
        assertThat(stdout()).contains("Export as-of time: 2026-12-02T02:00:00Z, read from inputs.as-of (" + asOf + ")");

        Files.writeString(asOf, "yesterday");
        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains("inputs.as-of: " + asOf + " holds 'yesterday', not an ISO 8601 instant");
        err.reset();
        Files.writeString(asOf, "2999-01-01T00:00:00Z");
        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains("inputs.as-of: the as-of time 2999-01-01T00:00:00Z is in the future");
        err.reset();
        Files.delete(asOf);
        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains("inputs.as-of: " + asOf + " does not exist");

        // A run that hands nothing over does not read it, and neither does check.
        out.reset();
        Files.writeString(config, nightly);
        assertThat(run("check", "--config", config.toString())).as(stderr()).isZero();
        assertThat(stdout()).contains("Export as-of time: not needed, no list is handed to the streaming job (inputs.as-of is not read)");
    }

    @Test
    void checkAndTheNightlyRunRefuseTwoJobsThatTogetherExceedTheAccountsConnections(@TempDir Path dir) throws Exception {
        Path stream = nightlyInputsAndStreamConfig(dir);
        Path config = dir.resolve("nightly.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                adestra: {max-concurrency: 8}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: %1$s/ids.jsonl, memberships: %1$s/m.csv}
                nightly: {stream-config: %2$s}
                """.formatted(dir, stream));
        String expected = "adestra.max-concurrency: 8 in " + config + " plus 6 in " + stream + " (nightly.stream-config)"
                + " is 14, more than the account's 10 concurrent connections";

        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains(expected);
        assertThat(stdout()).isEmpty();

        err.reset();
        assertThat(run("nightly", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr()).contains(expected);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void checkRefusesAnInlineKeyWithExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy:
                  import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0
                  base-url: https://api.permutive.app/audience-api/v1
                  api-key: pk_live_inline_123
                """);

        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        assertThat(stderr())
                .contains("taxonomy.api-key: an API key must not be written into the config file")
                .doesNotContain("pk_live_inline_123");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void checkListsEveryProblemOfTheFileItsSecretsAndItsInputsAtOnceOneLineEach(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("identities.jsonl"), "");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                adestra: {base-url: https://adestra.example.com/api, api-key: {env: MIRROR_TEST_UNSET_ADESTRA_KEY}}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0, batch-size: 6000}
                inputs:
                  identities: %s
                  memberships: s3://audience-exports/memberships/latest/
                  segments: s3://audience-exports/segments/latest/
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties: {sasl.jaas.config: {env: MIRROR_TEST_UNSET_KAFKA_LOGIN}}
                """.formatted(dir.resolve("identities.jsonl")));

        assertThat(run("check", "--config", config.toString())).isEqualTo(2);
        // This test JVM has no S3 plugin: Flink names the ones that would give it.
        String noS3 = ": no file system for s3:// here; Flink loads it as a plugin (flink-s3-fs-hadoop, flink-s3-fs-presto)"
                + " from the folder FLINK_PLUGINS_DIR names (bin/mirror: plugins/ in the checkout; README, \"Inputs on S3\")";
        assertThat(stderr().lines().toList()).containsExactly(
                "invalid configuration " + config + ":",
                "  - adestra.api-key: environment variable MIRROR_TEST_UNSET_ADESTRA_KEY is not set or empty",
                "  - taxonomy.batch-size: must be between 1 and 5000, found 6000 (the Taxonomy API takes at most 5000"
                        + " operations per request)",
                "  - kafka.properties.sasl.jaas.config: environment variable MIRROR_TEST_UNSET_KAFKA_LOGIN is not set or empty",
                "  - inputs.memberships: s3://audience-exports/memberships/latest/" + noS3,
                "  - inputs.segments: s3://audience-exports/segments/latest/" + noS3);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void usageErrorsExitWith2AndSayWhy() {
        assertThat(run("check")).isEqualTo(2);
        assertThat(stderr()).contains("--config FILE is required");

        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(stderr()).contains("unknown command 'frobnicate'");
    }

    @Test
    void nightlyWithoutItsInputsExitsWith2NamingTheKeys(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, """
                activations: {"1001": 678}
                taxonomy:
                  import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0
                """);

        assertThat(run("nightly", "--config", config.toString(), "--dry-run")).isEqualTo(2);
        assertThat(stderr()).contains("inputs.identities: required for the nightly run")
                .contains("inputs.memberships: required for the nightly run");
        assertThat(run("nightly", "--config")).isEqualTo(2);
        assertThat(stderr()).contains("--config needs a value");
    }

    @Test
    void aConfigGivenTwiceIsRefusedNotSilentlyTheLast() {
        assertThat(run("check", "--config", "a.yaml", "--config", "b.yaml")).isEqualTo(2);
        assertThat(stderr()).contains("--config given twice (a.yaml and b.yaml); give one");
    }

    @Test
    void checkOnAMissingFileNamesIt() {
        assertThat(run("check", "--config", "/nonexistent/mirror.yaml")).isEqualTo(2);
        assertThat(stderr()).contains("/nonexistent/mirror.yaml").contains("cannot read the file");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("check").contains("sandbox");
    }

    /** Empty nightly inputs ({@code ids.jsonl}, {@code m.csv}) and a streaming job's config using 6 connections, in {@code dir}. */
    private static Path nightlyInputsAndStreamConfig(Path dir) throws java.io.IOException {
        Files.writeString(dir.resolve("ids.jsonl"), "");
        Files.writeString(dir.resolve("m.csv"), "user_id,cohort\n");
        Path stream = dir.resolve("stream.yaml");
        Files.writeString(stream, """
                activations: {"1001": 678}
                adestra: {max-concurrency: 6}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events, assertions: in/assertions}
                """);
        return stream;
    }
}

package dev.audiencemirror.redrive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.command.Command;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.stream.KafkaScenarioRecords;
import dev.audiencemirror.stream.StreamConnections;
import dev.audiencemirror.stream.StreamJobs;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job (Kafka mode, dead letters in their topic) meets a Taxonomy API that refuses
 * every row for a while (422): four segment operations become dead letters. The API recovers and
 * one of the four codes gets a newer definition, which the job applies and notes. {@code bin/mirror
 * redrive} then sends the three refused operations nothing superseded, skips the fourth, and the
 * import ends as the topic defines it; a second redrive sends nothing.
 */
class TaxonomyRedriveITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    private static final String IMPORT = "0b6c3f1e-4d7a-5c55-9a3e-2f1d8c7b6a50";

    @RegisterExtension
    @Order(3)
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678).imports(IMPORT).build();

    @TempDir
    Path dir;

    @Test
    void refusedRowsAreSentAgainExceptTheSupersededOneAndASecondRedriveSendsNothing() throws Exception {
        Path configFile = TestConfig.of(SANDBOX, dir)
                .sandboxKeysInFiles()
                .activations("c1: 678")
                .taxonomy("import-id: " + IMPORT, "linger: 100ms")
                .kafkaTopics(KAFKA.bootstrapServers(), "rd")
                .stream("window: 100ms")
                .checkpointsEvery("200 ms")
                .write("stream.yaml");
        MirrorConfig config = new dev.audiencemirror.config.ConfigLoader(java.util.Map.of()).load(configFile);
        var k = config.kafka().orElseThrow();
        KAFKA.createTopics(1, k.identitiesTopic(), k.eventsTopic(), k.segmentsTopic(), k.deadLetterTopic());
        Segment a1 = new Segment("seg-a", "A", null, null, null);
        Segment a2 = new Segment("seg-a", "A renamed", "now described", 2.0, null);
        Segment b = new Segment("seg-b", "B", null, 1.5, List.of("news"));
        Segment c1 = new Segment("seg-c", "C", null, null, null);
        Segment c2 = new Segment("seg-c", "C, newer", null, null, null);
        Segment d = new Segment("seg-d", "D", "about d", null, null);

        try (Destinations destinations = Destinations.open(config, dir.resolve("unused.json"));
                var producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
            JobClient job = StreamJobs.define(config, StreamConnections.forConfig(config), destinations)
                    .executeAsync("taxonomy redrive scenario");
            try {
                send(producer, k.segmentsTopic(), a1);
                await(() -> SANDBOX.client().importDefinitions(IMPORT).containsKey("seg-a"), "the job to run");

                SANDBOX.setFaults(FaultConfig.builder().failNext(10_000).failNextStatus(422)
                        .scope(FaultConfig.Scope.TAXONOMY).build());
                for (Segment s : List.of(a2, b, c1, d)) {
                    send(producer, k.segmentsTopic(), s);
                }
                await(() -> refusals(k.deadLetterTopic()) == 4, "four refused rows in the dead-letter topic");
                SANDBOX.client().clearFaults();

                send(producer, k.segmentsTopic(), c2);
                await(() -> notes(k.deadLetterTopic()) == 1, "the note that seg-c's newer definition was applied");
            } finally {
                StreamJobs.cancel(job);
            }
        }
        SortedMap<String, Segment> expected = new TreeMap<>(java.util.Map.of("seg-a", a2, "seg-b", b, "seg-c", c2, "seg-d", d));
        assertThat(SANDBOX.client().importDefinitions(IMPORT)).as("the refused rows are missing").isNotEqualTo(expected);

        String first = redrive(configFile, Command.OK);
        assertThat(first).contains("redrive: sending 3 Taxonomy operations again (4 dead letters in Kafka topic dead-letters-rd)")
                .contains("no Adestra dead letters yet")
                .contains("re-sent, applied         3").contains("skipped as superseded    1")
                .contains("re-sent, refused again   0");
        assertThat(SANDBOX.client().importDefinitions(IMPORT)).isEqualTo(expected);

        long patches = SANDBOX.client().stats().requests(Endpoint.TAXONOMY_PATCH_SEGMENTS);
        String second = redrive(configFile, Command.OK);
        assertThat(second).contains("re-sent, applied         0").contains("skipped, already re-sent 3")
                .contains("skipped as superseded    1");
        assertThat(SANDBOX.client().stats().requests(Endpoint.TAXONOMY_PATCH_SEGMENTS)).as("the second redrive sends nothing")
                .isEqualTo(patches);
        assertThat(SANDBOX.client().importDefinitions(IMPORT)).isEqualTo(expected);
    }

    @Test
    void aNightlyConfigIsRefusedAndAStreamWithNoDeadLettersSaysSo() throws Exception {
        Path nightly = TestConfig.of(SANDBOX, dir).sandboxKeysInFiles().activations("c1: 678")
                .taxonomy("import-id: " + IMPORT).nightlyFiles().write("nightly.yaml");
        assertThat(redriveFails(nightly, Command.USAGE)).contains("is not a streaming job's config")
                .contains("A nightly run needs none");

        Path stream = TestConfig.of(SANDBOX, dir).sandboxKeysInFiles().activations("c1: 678")
                .taxonomy("import-id: " + IMPORT).watchedFolders(dir.resolve("in"))
                .stream("dead-letter-dir: " + dir.resolve("stream")).write("stream.yaml");
        assertThat(redrive(stream, Command.OK)).contains("no Adestra dead letters yet").contains("no Taxonomy dead letters yet")
                .doesNotContain("dead letters read");
    }

    private static void send(org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer, String topic,
            Segment s) throws Exception {
        producer.send(new ProducerRecord<>(topic, s.code().getBytes(StandardCharsets.UTF_8),
                dev.audiencemirror.testing.SegmentLines.json(s).getBytes(StandardCharsets.UTF_8))).get();
    }

    private static List<DeadLetter> letters(String topic) {
        return KafkaScenarioRecords.readCommitted(KAFKA.clientProperties(), topic).stream()
                .filter(r -> "taxonomy".equals(KafkaScenarioRecords.kind(r)))
                .map(r -> DeadLetter.fromJson(new String(r.value(), StandardCharsets.UTF_8))).toList();
    }

    private static long refusals(String topic) {
        return letters(topic).stream().filter(l -> l.status() == 422).count();
    }

    private static long notes(String topic) {
        return letters(topic).stream().filter(DeadLetter::isAppliedNote).count();
    }

    private static String redrive(Path configFile, int expectedCode) {
        String[] outErr = runRedrive(configFile, expectedCode);
        return outErr[0];
    }

    private static String redriveFails(Path configFile, int expectedCode) {
        return runRedrive(configFile, expectedCode)[1];
    }

    private static String[] runRedrive(Path configFile, int expectedCode) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = new MirrorCli().run(new String[] {"redrive", "--config", configFile.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; out: %s err: %s", text, errors).isEqualTo(expectedCode);
        return new String[] {text, errors};
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for %s", what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

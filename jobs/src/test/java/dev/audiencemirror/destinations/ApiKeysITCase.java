package dev.audiencemirror.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.connector.common.testing.MountedSecret;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.stream.KafkaScenarioRecords;
import dev.audiencemirror.stream.StreamConnections;
import dev.audiencemirror.stream.StreamJobs;
import dev.audiencemirror.stream.StreamScenarios;
import dev.audiencemirror.testing.StreamSettled;
import dev.audiencemirror.testing.TestConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.BlobServerOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job (Kafka mode, both sinks) and its secrets, on a MiniCluster against the sandbox
 * and a broker that takes SASL logins only: what a submission stores holds where the API keys and
 * the Kafka login are and never them (the Kafka clients resolve the login themselves, through
 * Kafka's config providers, or could not connect), and keys rotated mid-stream (at the sandbox and
 * in their mounted files) are taken up without a restart.
 */
class ApiKeysITCase {
    /** Where the MiniCluster keeps its blobs: with every message offloaded, the job's task configuration lands there. */
    private static final Path BLOBS = tempDir();
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final String ADESTRA_KEY = "adestra-" + UUID.randomUUID();
    private static final String PERMUTIVE_KEY = "permutive-" + UUID.randomUUID();

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.saslPlain();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, blobsOffloaded());

    @RegisterExtension
    @Order(3)
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("cce1a75a-83b2-5e6b-bba4-b39b0ec2a38d")
            .adestraKey(ADESTRA_KEY).permutiveKey(PERMUTIVE_KEY).build();

    @TempDir
    Path dir;

    private static Configuration blobsOffloaded() {
        Configuration conf = METRICS.addToConfiguration(StreamSettled.heartbeatsEverySecond(new Configuration()));
        conf.set(BlobServerOptions.STORAGE_DIRECTORY, BLOBS.toString());
        conf.set(BlobServerOptions.OFFLOAD_MINSIZE, 0);
        return conf;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("api-keys-it-blobs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's config with the keys and the Kafka login in files mounted as the kubelet mounts a Secret. */
    private record Setup(MirrorConfig config, MountedSecret adestra, MountedSecret permutive, MountedSecret kafkaLogin,
            KafkaScenarioRecords records, StreamScenarios.Scenario scenario, KafkaScenarioRecords.Segments segments) {}

    private Setup setup(String suffix, long seed) throws Exception {
        // One mount each: a MountedSecret is one Secret with one key.
        MountedSecret adestra = MountedSecret.create(dir.resolve("secrets/adestra"), "adestra-api-key", SANDBOX.adestraKey());
        MountedSecret permutive = MountedSecret.create(dir.resolve("secrets/permutive"), "permutive-api-key",
                SANDBOX.permutiveKey());
        MountedSecret kafkaLogin = MountedSecret.create(dir.resolve("secrets/kafka"), "kafka-sasl-jaas-config",
                KafkaBrokerExtension.saslJaasConfig());
        MirrorConfig config = TestConfig.of(SANDBOX, dir)
                .keyFiles(adestra.file(), permutive.file())
                .activations("c1: 678, c2: 679, c3: 679")
                .taxonomy("import-id: cce1a75a-83b2-5e6b-bba4-b39b0ec2a38d", "linger: 200ms")
                .kafkaTopics(KAFKA.bootstrapServers(), suffix)
                .kafka("properties: {security.protocol: SASL_PLAINTEXT, sasl.mechanism: PLAIN, sasl.jaas.config: {file: "
                        + kafkaLogin.file() + "}}")
                .stream("window: 200ms")
                .checkpointsEvery("300 ms").fixedDelayRestarts(3, "200 ms")
                .load();
        var k = config.kafka().orElseThrow();
        KAFKA.createTopics(3, k.identitiesTopic(), k.eventsTopic());
        KAFKA.createTopics(1, k.segmentsTopic(), k.deadLetterTopic());
        StreamScenarios.Scenario scenario = StreamScenarios.of(seed, 200, 20);
        scenario.hardCases().assertPresent();
        KafkaScenarioRecords.Segments segments = new KafkaScenarioRecords.Segments(new SplittableRandom(seed), k.segmentsTopic());
        KafkaScenarioRecords records = new KafkaScenarioRecords(scenario.identityLines(), scenario.eventLines(),
                scenario.planted(), segments, k.identitiesTopic(), k.eventsTopic(), true);
        return new Setup(config, adestra, permutive, kafkaLogin, records, scenario, segments);
    }

    @Test
    void aJobSubmissionHoldsWhereTheSecretsAreAndNeverTheSecrets() throws Exception {
        Setup s = setup("graph", 3);
        try (Destinations destinations = Destinations.open(s.config(), dir.resolve("sandbox.json"))) {
            StreamExecutionEnvironment env = StreamJobs.define(s.config(), StreamConnections.forConfig(s.config()), destinations);
            // What a client sends when it submits the job, and what HA storage keeps of it.
            byte[] jobGraph = InstantiationUtil.serializeObject(env.getStreamGraph(false).getJobGraph());
            assertThat(new String(jobGraph, StandardCharsets.ISO_8859_1)).as("the serialized job graph")
                    .contains(s.adestra().file().toString(), s.permutive().file().toString(),
                            "${dir:" + s.kafkaLogin().file().getParent() + ":kafka-sasl-jaas-config}")
                    .doesNotContain(ADESTRA_KEY, PERMUTIVE_KEY, KafkaBrokerExtension.SASL_PASSWORD);

            JobClient job = env.executeAsync("api keys at rest");
            try {
                // The broker takes SASL logins only: every record below reaches the sandbox through
                // Kafka clients that read the login from the mounted file themselves.
                try (var producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
                    s.records().produce(producer, 0, s.records().size());
                }
                awaitSettled(s, job);
                assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(s.scenario().expected());
            } finally {
                StreamJobs.cancel(job);
            }
        }
        // Every message offloaded: the blob store holds the job's and its tasks' configuration.
        List<Path> blobs = files(BLOBS);
        assertThat(blobs.stream().filter(f -> contains(f, s.adestra().file().toString())))
                .as("blobs that hold the sinks' configuration (of %s)", blobs).isNotEmpty();
        assertThat(blobs.stream().filter(ApiKeysITCase::holdsASecret)).as("blobs holding a secret").isEmpty();
        List<Path> keyFiles = List.of(dir.resolve("secrets"), dir.resolve("test-keys"));
        assertThat(files(dir).stream().filter(f -> keyFiles.stream().noneMatch(f::startsWith)).filter(ApiKeysITCase::holdsASecret))
                .as("files the job wrote (checkpoints, dead letters) holding a secret").isEmpty();
    }

    @Test
    void keysRotatedMidStreamAtTheSandboxAndInTheirFilesAreTakenUpWithoutARestartAndEverythingEndsExact()
            throws Exception {
        Setup s = setup("rotate", 5);
        String oldAdestra = SANDBOX.adestraKey();
        String oldPermutive = SANDBOX.permutiveKey();
        String newAdestra = "adestra-rotated-" + UUID.randomUUID();
        String newPermutive = "permutive-rotated-" + UUID.randomUUID();
        List<int[]> slices = s.records().slices(2);
        JobID id;
        try (Destinations destinations = Destinations.open(s.config(), dir.resolve("sandbox.json"))) {
            JobClient job = StreamJobs.define(s.config(), StreamConnections.forConfig(s.config()), destinations)
                    .executeAsync("api keys rotated");
            id = job.getJobID();
            try (var producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
                s.records().produce(producer, slices.get(0)[0], slices.get(0)[1]);
                await("contacts and segments reached the sandbox", () -> !SANDBOX.client().listContacts(678).isEmpty()
                        && !SANDBOX.client().importDefinitions("cce1a75a-83b2-5e6b-bba4-b39b0ec2a38d").isEmpty());

                // A rotation: the new keys issued, the Secret updated (kubelet-style), the old keys
                // revoked at once. Requests still carrying an old key meet a 401 and are sent again
                // with the key read from the file.
                SANDBOX.server().acceptAdestraKeys(oldAdestra, newAdestra);
                SANDBOX.server().acceptPermutiveKeys(oldPermutive, newPermutive);
                s.adestra().update(newAdestra);
                s.permutive().update(newPermutive);
                SANDBOX.server().acceptAdestraKeys(newAdestra);
                SANDBOX.server().acceptPermutiveKeys(newPermutive);

                s.records().produce(producer, slices.get(1)[0], slices.get(1)[1]);
                awaitSettled(s, job);
            } finally {
                StreamJobs.cancel(job);
            }
        }

        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(s.scenario().expected());
        assertThat(SANDBOX.client().importDefinitions("cce1a75a-83b2-5e6b-bba4-b39b0ec2a38d")).isEqualTo(s.segments().expected());
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(newAdestra)).as("Adestra calls with the new key").isPositive();
        assertThat(gauges(id, "numRestarts")).as("restarts").containsOnly(0L);
        assertThat(gauges(id, "apiKeyChanges")).as("per Adestra sender and the Taxonomy writer")
                .hasSize(3).containsOnly(1L);
    }

    private static List<Long> gauges(JobID job, String name) {
        return METRICS.findMetrics(job, ".*\\." + name + "$").values().stream().filter(m -> m instanceof Gauge<?>)
                .map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue()).toList();
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return new ArrayList<>(all.filter(Files::isRegularFile).toList());
        }
    }

    private static boolean holdsASecret(Path file) {
        return contains(file, ADESTRA_KEY) || contains(file, PERMUTIVE_KEY) || contains(file, KafkaBrokerExtension.SASL_PASSWORD);
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false; // removed while we looked (a finished blob, a checkpoint subsumed)
        }
    }

    /** Every record read and every list operation applied; the import as the records give it. */
    private static void awaitSettled(Setup s, JobClient job) throws Exception {
        var k = s.config().kafka().orElseThrow();
        StreamSettled.await(KAFKA.clientProperties(), k.groupId(), List.of(k.identitiesTopic(), k.eventsTopic()),
                StreamSettled.of(job), Duration.ofSeconds(120),
                () -> s.segments().expected().equals(SANDBOX.client().importDefinitions("cce1a75a-83b2-5e6b-bba4-b39b0ec2a38d")));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 120 s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}

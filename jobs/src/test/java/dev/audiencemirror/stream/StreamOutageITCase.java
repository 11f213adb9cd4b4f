package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.testing.StreamSettled;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.sandbox.SandboxServer;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job in Kafka mode through an outage of both APIs that lasts many times longer
 * than the nightly run's retry limits (set to 1 s here): the sandbox answers 503 to every call, or
 * is stopped so that connections are refused, while events keep arriving. Nothing reaches the
 * destinations during the outage, checkpoints keep completing, and once the sandbox answers again
 * the lists and the import end exact, with no dead letter from either sink.
 */
class StreamOutageITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, StreamSettled.heartbeatsEverySecond(new Configuration()));

    /** Many times the configured max-retry-time (1 s): a bounded policy would have dead-lettered everything. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private SandboxServer sandbox(int port) {
        return SandboxServer.builder().port(port).lists(678, 679).imports("c60fea69-30cd-5ff9-9742-15f2b2c19a36")
                .stateFile(dir.resolve("sandbox-state.json")).stateFlushMs(50).build().start();
    }

    private MirrorConfig config(SandboxServer sandbox, String suffix) {
        return TestConfig.of(sandbox, dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .adestra("request-timeout: 1s", "max-attempts: 2", "max-retry-time: 1s", "max-backoff: 400ms")
                .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36", "linger: 200ms",
                        "request-timeout: 1s", "max-attempts: 2", "max-retry-time: 1s", "max-backoff: 400ms")
                .kafkaTopics(KAFKA.bootstrapServers(), suffix)
                .stream("window: 200ms")
                .checkpointsEvery("300 ms").flink("restart-strategy.type: none")
                .load();
    }

    /** How an outage starts and ends. */
    private interface Outage {
        SandboxServer begin(SandboxServer sandbox);

        SandboxServer end(SandboxServer sandbox);
    }

    @Test
    void everyCallAnswered503ForLongerThanTheRetryLimitsLosesNothing() throws Exception {
        run(41, "a503", new Outage() {
            @Override
            public SandboxServer begin(SandboxServer sandbox) {
                sandbox.setFaults(FaultConfig.builder().failNext(Integer.MAX_VALUE).failNextStatus(503).build());
                return sandbox;
            }

            @Override
            public SandboxServer end(SandboxServer sandbox) {
                assertThat(sandbox.client().contactsByList(678, 679).values()).allSatisfy(c -> assertThat(c).isEmpty());
                assertThat(sandbox.client().importDefinitions("c60fea69-30cd-5ff9-9742-15f2b2c19a36")).isEmpty();
                sandbox.setFaults(FaultConfig.NONE);
                return sandbox;
            }
        });
    }

    @Test
    void theApiStoppedSoConnectionsAreRefusedForLongerThanTheRetryLimitsLosesNothing() throws Exception {
        run(43, "refused", new Outage() {
            private int port;

            @Override
            public SandboxServer begin(SandboxServer sandbox) {
                port = sandbox.port();
                sandbox.close();
                return null;
            }

            @Override
            public SandboxServer end(SandboxServer stopped) {
                // What the stopped sandbox held, read from a copy of its state file on another port:
                // the restarted one takes the job's retries at once. No file: nothing ever changed.
                Path copy = dir.resolve("copy");
                if (!java.nio.file.Files.exists(dir.resolve("sandbox-state.json"))) {
                    return sandbox(port);
                }
                try {
                    java.nio.file.Files.createDirectories(copy);
                    java.nio.file.Files.copy(dir.resolve("sandbox-state.json"), copy.resolve("sandbox-state.json"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                try (SandboxServer before = SandboxServer.builder().port(0).lists(678, 679).imports("c60fea69-30cd-5ff9-9742-15f2b2c19a36")
                        .stateFile(copy.resolve("sandbox-state.json")).build().start()) {
                    assertThat(before.client().contactsByList(678, 679).values()).allSatisfy(c -> assertThat(c).isEmpty());
                }
                return sandbox(port);
            }
        });
    }

    private void run(long seed, String suffix, Outage outage) throws Exception {
        SandboxServer sandbox = sandbox(0);
        try {
            MirrorConfig config = config(sandbox, suffix);
            var k = config.kafka().orElseThrow();
            KAFKA.createTopics(2, k.identitiesTopic(), k.eventsTopic());
            KAFKA.createTopics(1, k.segmentsTopic(), k.deadLetterTopic());
            AgreementScenario scenario = new AgreementScenario(seed, 150, 15);
            scenario.hardCases.assertPresent();
            KafkaScenarioRecords.Segments segments =
                    new KafkaScenarioRecords.Segments(new SplittableRandom(seed), k.segmentsTopic());
            KafkaScenarioRecords records = new KafkaScenarioRecords(scenario.identityLines, scenario.eventLines,
                    scenario.planted, segments, k.identitiesTopic(), k.eventsTopic(), false);
            CheckpointCounter.reset();

            try (Destinations destinations = Destinations.open(config, dir.resolve("unused-sandbox.json"))) {
                JobClient job = StreamJobs.define(config, EventsMappedConnections.countingCheckpoints(StreamConnections.forConfig(config)),
                        destinations).executeAsync("outage " + suffix);
                try {
                    awaitTrue(() -> CheckpointCounter.latestCompleted() > 0, Duration.ofSeconds(90), "a first checkpoint");
                    sandbox = outage.begin(sandbox);
                    long outageStarted = System.nanoTime();
                    try (var producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
                        records.produce(producer, 0, records.size());
                    }
                    int checkpointAtStart = CheckpointCounter.latestCompleted();
                    Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStarted) / 1_000_000));
                    int checkpointsDuringOutage = CheckpointCounter.latestCompleted() - checkpointAtStart;
                    assertThat(checkpointsDuringOutage).as("checkpoints completed during the %s s outage", OUTAGE.toSeconds())
                            .isGreaterThanOrEqualTo(5);
                    assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job still runs").isFalse();
                    sandbox = outage.end(sandbox);

                    SandboxServer s = sandbox;
                    StreamSettled.await(KAFKA.clientProperties(), k.groupId(),
                            List.of(k.identitiesTopic(), k.eventsTopic()), StreamSettled.of(job), Duration.ofSeconds(90),
                            () -> s.client().importDefinitions("c60fea69-30cd-5ff9-9742-15f2b2c19a36").equals(segments.expected()));
                } finally {
                    StreamJobs.cancel(job);
                }
            }
            assertThat(sandbox.client().contactsByList(678, 679)).isEqualTo(scenario.expected);
            assertThat(scenario.expected.values()).allSatisfy(contacts -> assertThat(contacts).hasSizeGreaterThan(10));
            assertThat(sandbox.client().importDefinitions("c60fea69-30cd-5ff9-9742-15f2b2c19a36")).isEqualTo(segments.expected());
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    KafkaScenarioRecords.readCommitted(KAFKA.clientProperties(), k.deadLetterTopic());
            assertThat(deadLetters).as("dead letters: only the planted bad input records")
                    .allSatisfy(r -> assertThat(KafkaScenarioRecords.kind(r)).isEqualTo("rejected-input"))
                    .hasSize(records.plantedPositions().size());
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s s for %s", timeout.toSeconds(), what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

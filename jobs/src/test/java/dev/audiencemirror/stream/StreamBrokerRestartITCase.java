package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.kafka.KafkaBrokerProcess;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.StreamSettled;
import dev.audiencemirror.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job in Kafka mode while its broker (a separate JVM) is killed mid-stream and
 * started again 6 s later on the same address with its data: the job gets through on its own
 * (sources reconnect; the transactional dead-letter sink fails the job, which restarts from its
 * checkpoint), and the lists, the import and the dead-letter topic end exact: every planted bad
 * record once, nothing else.
 */
class StreamBrokerRestartITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4, StreamSettled.heartbeatsEverySecond(new Configuration()));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("c60fea69-30cd-5ff9-9742-15f2b2c19a36").build();

    @TempDir
    Path dir;

    private MirrorConfig config(String bootstrap) {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36", "linger: 200ms")
                .kafka("bootstrap-servers: " + bootstrap, "group-id: mirror-restart",
                        "topics: {identities: identities, events: events, segments: segments, dead-letter: dead-letters}",
                        "properties: {request.timeout.ms: \"5000\", default.api.timeout.ms: \"10000\"}")
                .stream("window: 200ms")
                .checkpointsEvery("300 ms").fixedDelayRestarts(100, "1 s")
                .load();
    }

    @Test
    void theBrokerKilledAndRestartedMidStreamTheJobRecoversByItselfAndEndsExact() throws Exception {
        long seed = 53;
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess(dir.resolve("broker"))) {
            broker.start();
            MirrorConfig config = config(broker.bootstrapServers());
            broker.createTopics(2, "identities", "events");
            broker.createTopics(1, "segments", "dead-letters");
            AgreementScenario scenario = new AgreementScenario(seed, 150, 15);
            scenario.hardCases.assertPresent();
            KafkaScenarioRecords.Segments segments = new KafkaScenarioRecords.Segments(new SplittableRandom(seed), "segments");
            KafkaScenarioRecords records = new KafkaScenarioRecords(scenario.identityLines, scenario.eventLines,
                    scenario.planted, segments, "identities", "events", false);
            CheckpointCounter.reset();
            Set<String> planted;

            try (Destinations destinations = Destinations.open(config, dir.resolve("unused.json"))) {
                JobClient job = StreamJobs.define(config, EventsMappedConnections.countingCheckpoints(StreamConnections.forConfig(config)),
                        destinations).executeAsync("broker restart");
                try {
                    await(() -> CheckpointCounter.latestCompleted() > 0, Duration.ofSeconds(90), "a first checkpoint");
                    int half = records.size() / 2;
                    try (var producer = KafkaScenarioRecords.producer(broker.clientProperties())) {
                        records.produce(producer, 0, half);
                    }
                    await(() -> SANDBOX.client().stats().requests(dev.audiencemirror.sandbox.Endpoint.ADESTRA_ADD) > 0,
                            Duration.ofSeconds(60), "the first half to reach Adestra");

                    broker.stop();
                    Thread.sleep(6_000);
                    broker.start();
                    try (var producer = KafkaScenarioRecords.producer(broker.clientProperties())) {
                        records.produce(producer, half, records.size());
                    }
                    planted = records.plantedPositions();
                    Set<String> p = planted;
                    StreamSettled.await(broker.clientProperties(), "mirror-restart", List.of("identities", "events"),
                            StreamSettled.of(job), Duration.ofSeconds(150),
                            () -> SANDBOX.client().importDefinitions("c60fea69-30cd-5ff9-9742-15f2b2c19a36").equals(segments.expected())
                                    && KafkaScenarioRecords.committedKeys(broker.clientProperties(), "dead-letters").size() >= p.size());
                    assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("the job still runs").isFalse();
                } finally {
                    StreamJobs.cancel(job);
                }
            }
            assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(scenario.expected);
            assertThat(scenario.expected.values()).allSatisfy(contacts -> assertThat(contacts).hasSizeGreaterThan(10));
            assertThat(SANDBOX.client().importDefinitions("c60fea69-30cd-5ff9-9742-15f2b2c19a36")).isEqualTo(segments.expected());
            List<ConsumerRecord<byte[], byte[]>> deadLetters =
                    KafkaScenarioRecords.readCommitted(broker.clientProperties(), "dead-letters");
            assertThat(deadLetters.stream().map(KafkaScenarioRecords::key).toList())
                    .as("each planted record once, nothing else").hasSameSizeAs(planted)
                    .containsExactlyInAnyOrderElementsOf(planted);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s s for %s", timeout.toSeconds(), what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

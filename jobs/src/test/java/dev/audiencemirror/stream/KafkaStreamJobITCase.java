package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.nightly.Destinations;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming job in Kafka mode, end to end: identities, events and segment definitions are
 * produced into a real broker while the job runs on a MiniCluster with checkpoints on RocksDB;
 * the job fails once at a random point (per seed) and the sandbox answers 5% of calls with
 * 429/500/503. The Adestra lists and the taxonomy import must end equal to what this test
 * computes from the same records, and the dead-letter topic must hold exactly the planted bad
 * records, each once (it is written transactionally), and nothing else.
 */
class KafkaStreamJobITCase {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    @Order(3)
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("imp-stream").build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private MirrorConfig config(String suffix) {
        String yaml = """
                activations: {c1: 678, c2: 679, c3: 679}
                adestra:
                  base-url: %1$s
                  api-key: {env: ADESTRA_KEY}
                  max-attempts: 20
                  max-retry-time: 60s
                taxonomy:
                  base-url: %1$s
                  import-id: imp-stream
                  api-key: {env: PERMUTIVE_KEY}
                  linger: 200ms
                kafka:
                  bootstrap-servers: %3$s
                  group-id: mirror-%4$s
                  topics:
                    identities: identities-%4$s
                    events: events-%4$s
                    segments: segments-%4$s
                    dead-letter: dead-letters-%4$s
                nightly:
                  runs-dir: %2$s/runs
                stream:
                  window: 200ms
                flink:
                  execution.checkpointing.interval: 300 ms
                  execution.checkpointing.dir: file://%2$s/checkpoints
                  restart-strategy.type: fixed-delay
                  restart-strategy.fixed-delay.attempts: 3
                  restart-strategy.fixed-delay.delay: 200 ms
                """.formatted(SANDBOX.baseUrl(), dir, KAFKA.bootstrapServers(), suffix);
        return new ConfigLoader(Map.of("ADESTRA_KEY", SANDBOX.adestraKey(), "PERMUTIVE_KEY", SANDBOX.permutiveKey()))
                .parse(yaml, "test.yaml");
    }

    /** The job's own Kafka connections, with a failure injected once into the events after the source. */
    private static final class FailingOnce implements StreamConnections {
        private final StreamConnections kafka;

        FailingOnce(StreamConnections kafka) {
            this.kafka = kafka;
        }

        @Override
        public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
            return kafka.identities(env);
        }

        @Override
        public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
            return kafka.events(env)
                    .map(new FailOnceAfterCheckpoint<NumberedLine>(NumberedLine::number))
                    .returns(TypeInformation.of(NumberedLine.class))
                    .name("inject failure");
        }

        @Override
        public Optional<DataStream<SegmentRecord>> segments(StreamExecutionEnvironment env) {
            return kafka.segments(env);
        }

        @Override
        public Sink<ParseError> rejects() {
            return kafka.rejects();
        }

        @Override
        public Sink<DeadLetter> deadLetters(String destination) {
            return kafka.deadLetters(destination);
        }
    }

    /** Segment definitions with updates and tombstones, two bad records, and the import they must leave. */
    private static final class SegmentScenario {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        final SortedMap<String, Segment> expected = new TreeMap<>();
        /** Indexes in {@link #records} of the bad ones. */
        final Set<Integer> planted = new TreeSet<>();

        SegmentScenario(SplittableRandom random, String topic) {
            Map<String, Segment> live = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                String code = "seg-" + random.nextInt(25);
                if (live.containsKey(code) && random.nextDouble() < 0.25) {
                    records.add(new ProducerRecord<>(topic, bytes(code), null));
                    live.remove(code);
                } else {
                    Segment s = new Segment(code, "Segment " + code + " v" + i, random.nextBoolean() ? "about " + code : null,
                            random.nextBoolean() ? 1.0 + random.nextInt(5) : null, random.nextBoolean() ? List.of("news") : null);
                    records.add(new ProducerRecord<>(topic, bytes(code), bytes(json(s))));
                    live.put(code, s);
                }
            }
            plant(random, new ProducerRecord<>(topic, bytes("seg-x"), bytes("{\"code\": \"seg-x\"")));
            plant(random, new ProducerRecord<>(topic, bytes("seg-y"), bytes("{\"code\":\"seg-z\",\"name\":\"Z\"}")));
            expected.putAll(live);
        }

        private void plant(SplittableRandom random, ProducerRecord<byte[], byte[]> bad) {
            int at = random.nextInt(records.size() + 1);
            records.add(at, bad);
            Set<Integer> moved = new TreeSet<>();
            planted.forEach(p -> moved.add(p >= at ? p + 1 : p));
            planted.clear();
            planted.addAll(moved);
            planted.add(at);
        }

        private static String json(Segment s) {
            ObjectNode n = JSON.createObjectNode();
            n.put("code", s.code());
            n.put("name", s.name());
            if (s.description() != null) {
                n.put("description", s.description());
            }
            if (s.cpm() != null) {
                n.put("cpm", s.cpm());
            }
            if (s.categories() != null) {
                n.putArray("categories").add(s.categories().get(0));
            }
            return n.toString();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 29, 61})
    void listsAndTaxonomyEndEqualToTheRecordsThoughTheJobFailedAndTheApiErred(long seed) throws Exception {
        String suffix = "s" + seed;
        MirrorConfig config = config(suffix);
        var k = config.kafka().orElseThrow();
        KAFKA.createTopics(3, k.identitiesTopic(), k.eventsTopic());
        KAFKA.createTopics(1, k.segmentsTopic(), k.deadLetterTopic());
        SplittableRandom random = new SplittableRandom(seed);
        StreamScenario scenario = new StreamScenario(seed, 220, 25);
        SegmentScenario segments = new SegmentScenario(random, k.segmentsTopic());
        SANDBOX.setFaults(FaultConfig.builder().rate429(0.02).rate500(0.015).rate503(0.015).retryAfterSeconds(0)
                .seed(seed).build());
        // Events are spread over 3 partitions: fail at an offset a quarter to half way into one.
        FailOnceAfterCheckpoint.arm(scenario.eventLines.size() / 12 + random.nextInt(scenario.eventLines.size() / 12));

        Set<String> plantedPositions = new TreeSet<>();
        try (Destinations destinations = Destinations.open(config, dir.resolve("sandbox.json"))) {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config));
            env.setParallelism(2);
            StreamJob.define(env, config, new FailingOnce(StreamConnections.forConfig(config)), destinations);
            JobClient job = env.executeAsync("kafka stream seed " + seed);
            try {
                // Produced once the job runs and has checkpointed, over a few seconds, so the failure
                // meets a job mid-stream however slowly it started.
                long started = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!FailOnceAfterCheckpoint.checkpointed() && System.nanoTime() < started) {
                    Thread.sleep(50);
                }
                assertThat(FailOnceAfterCheckpoint.checkpointed()).as("the job checkpointed within 90 s").isTrue();
                Future<Set<String>> produced = CompletableFuture.supplyAsync(() -> produce(k.identitiesTopic(),
                        k.eventsTopic(), scenario, segments));
                plantedPositions.addAll(produced.get());

                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline && !(sandboxLists().equals(scenario.expected)
                        && SANDBOX.client().importSegments("imp-stream").equals(segments.expected)
                        && deadLetterKeys(k.deadLetterTopic()).size() >= plantedPositions.size())) {
                    Thread.sleep(200);
                }
                // Anything still in flight would show up now.
                Thread.sleep(1500);
            } finally {
                job.cancel().get();
                try {
                    job.getJobExecutionResult().get();
                } catch (java.util.concurrent.ExecutionException cancelled) {
                    // expected: a cancelled job has no result
                }
            }
        }

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        assertThat(sandboxLists()).isEqualTo(scenario.expected);
        assertThat(scenario.expected.values()).allSatisfy(contacts -> assertThat(contacts).hasSizeGreaterThan(20));
        assertThat(SANDBOX.client().importSegments("imp-stream")).isEqualTo(segments.expected);
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey())).isLessThanOrEqualTo(10);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = deadLetterRecords(k.deadLetterTopic());
        List<String> keys = deadLetters.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(keys).as("each planted record once, nothing else").hasSameSizeAs(plantedPositions)
                .containsExactlyInAnyOrderElementsOf(plantedPositions);
        assertThat(deadLetters).allSatisfy(r -> {
            assertThat(new String(r.headers().lastHeader(KafkaConnections.KIND_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("rejected-input");
            assertThat(JSON.readTree(r.value()).get("reason").asText()).isNotBlank();
            assertThat(JSON.readTree(r.value()).has("raw")).isTrue();
        });
    }

    @org.junit.jupiter.api.Test
    void aMissingTopicStopsTheCommandBeforeTheJobStartsNamingTheKey() throws Exception {
        KAFKA.createTopics(1, "ids-present");
        Path file = dir.resolve("stream.yaml");
        java.nio.file.Files.writeString(file, """
                activations: {c1: 678}
                taxonomy: {import-id: imp-stream}
                kafka:
                  bootstrap-servers: %s
                  topics: {identities: ids-present, events: events-missing}
                nightly: {runs-dir: %s/runs}
                """.formatted(KAFKA.bootstrapServers(), dir));
        var err = new java.io.ByteArrayOutputStream();
        int code = new dev.audiencemirror.cli.MirrorCli().run(new String[] {"stream", "--config", file.toString()},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(dev.audiencemirror.cli.MirrorCli.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("kafka.topics.events: topic 'events-missing' does not exist")
                .doesNotContain("kafka.topics.identities");
    }

    /** Produces everything at about 600 records/s; returns the positions of the planted bad records. */
    private static Set<String> produce(String identitiesTopic, String eventsTopic, StreamScenario scenario,
            SegmentScenario segments) {
        Properties p = KAFKA.clientProperties();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        Set<String> planted = new TreeSet<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> segmentSends = new ArrayList<>();
            for (var r : segments.records) {
                segmentSends.add(producer.send(r));
            }
            List<Future<RecordMetadata>> identitySends = new ArrayList<>();
            List<Future<RecordMetadata>> eventSends = new ArrayList<>();
            int i = 0;
            int e = 0;
            // Interleaved, identities a little ahead of events on average, but not always.
            while (i < scenario.identityLines.size() || e < scenario.eventLines.size()) {
                if (i < scenario.identityLines.size() && (e >= scenario.eventLines.size() || (i + e) % 6 == 0)) {
                    identitySends.add(producer.send(new ProducerRecord<>(identitiesTopic,
                            bytes(scenario.identityLines.get(i++)))));
                } else {
                    eventSends.add(producer.send(new ProducerRecord<>(eventsTopic, bytes(scenario.eventLines.get(e++)))));
                }
                if ((i + e) % 30 == 0) {
                    producer.flush();
                    Thread.sleep(50);
                }
            }
            producer.flush();
            for (String spot : scenario.planted) {
                String[] s = spot.split(":");
                int line = Integer.parseInt(s[1]);
                RecordMetadata m = (s[0].equals("events") ? eventSends : identitySends).get(line - 1).get();
                planted.add("kafka:" + m.topic() + "/" + m.partition() + ":" + m.offset());
            }
            for (int index : segments.planted) {
                RecordMetadata m = segmentSends.get(index).get();
                planted.add("kafka:" + m.topic() + "/" + m.partition() + ":" + m.offset());
            }
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return planted;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<Long, SortedSet<Long>> sandboxLists() {
        SortedMap<Long, SortedSet<Long>> out = new TreeMap<>();
        for (long list : List.of(678L, 679L)) {
            out.put(list, SANDBOX.client().listContacts(list));
        }
        return out;
    }

    private static Set<String> deadLetterKeys(String topic) {
        Set<String> keys = new TreeSet<>();
        deadLetterRecords(topic).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        return keys;
    }

    /** Everything committed to the dead-letter topic so far, as a read_committed consumer sees it. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetterRecords(String topic) {
        Properties p = KAFKA.clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}

package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.nightly.NightlyRun;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both jobs on the same lists: the streaming job (Kafka mode, failing once at a random point) writes
 * lists 678 and 679; a nightly run in the middle of the stream reads an export as of a random time
 * T, pushes list 680 (a cohort only it activates) and hands the stream its export for 678 and 679
 * as assertions on the stream's assertions topic. Records arrive before, around and after T in
 * random order (shared contacts, contact changes, same-time identities, flapping events), and
 * some events up to T reach only the export (lost upstream, or before the stream started), so the
 * hand-off is what brings them in.
 *
 * <p>The lists must end as the records say: 678 and 679 as all records together say (the later
 * event wins, whichever job carried it), 680 as the export does; and in the sandbox's request log
 * the last applied request of every (contact, list) of 678 and 679 is the answer's action (no key
 * ends on an older event's action). {@code -Dhandoff.seeds=N} (default 4), {@code -Dhandoff.seed=S}.
 */
class StreamAndNightlyOnOneListITCase {
    private static final Map<String, Long> NIGHTLY_ONLY = Map.of("other", 680L);

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    @Order(3)
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports("daa3df28-a734-57b4-8891-3a62f5cf9cc8").build();

    @TempDir
    Path dir;

    static LongStream seeds() {
        String one = System.getProperty("handoff.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one));
        }
        return LongStream.rangeClosed(1, Long.getLong("handoff.seeds", 4));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theListsEndAsTheLaterEventSaysWhicheverJobCarriedIt(long seed) throws Exception {
        SANDBOX.reset();
        AgreementScenario scenario = new AgreementScenario(seed);
        SplittableRandom random = new SplittableRandom(seed * 131 + 3);
        double asOfSeconds = 40 + random.nextInt(120) + 0.5; // never an event's own time
        AgreementScenario.Export export = scenario.exportAsOf(asOfSeconds);

        String topics = "s" + seed + "-" + System.nanoTime();
        // One identity partition keeps each user's records in line order (ties go to the later line).
        KAFKA.createTopics(1, "identities-" + topics);
        KAFKA.createTopics(2, "events-" + topics, "assertions-" + topics);
        TestConfig streamConfig = config(dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .kafka("bootstrap-servers: " + KAFKA.bootstrapServers(), "group-id: mirror-" + topics,
                        "topics: {identities: identities-%1$s, events: events-%1$s, assertions: assertions-%1$s}".formatted(topics))
                .stream("window: 100ms", "dead-letter-dir: " + dir.resolve("stream"))
                .checkpointsEvery("200 ms").fixedDelayRestarts(3, "200 ms");
        Path streamYaml = streamConfig.write("stream.yaml");
        MirrorConfig stream = streamConfig.loader().load(streamYaml);

        // Events up to T that only the export saw; every other record reaches the stream, in arrival order.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<Integer> withheld = new HashSet<>();
        for (int i = 0, e = 0; i < scenario.identityLines.size() || e < scenario.eventLines.size(); ) {
            if (i < scenario.identityLines.size() && (e >= scenario.eventLines.size() || random.nextInt(4) == 0)) {
                records.add(record("identities-" + topics, scenario.identityLines.get(i++)));
            } else {
                long t = scenario.eventTimes.get(e);
                if (t >= 0 && t <= asOfSeconds && random.nextInt(5) == 0) {
                    withheld.add(e++);
                    continue;
                }
                records.add(record("events-" + topics, scenario.eventLines.get(e++)));
            }
        }
        int nightlyAt = records.size() / 4 + random.nextInt(records.size() / 2);
        // Events are spread over 2 partitions: fail at an offset within the first third of one.
        FailOnceAfterCheckpoint.arm(1 + random.nextInt(Math.max(1, (scenario.eventLines.size() - withheld.size()) / 3)));
        System.out.printf("seed %d: %d records to the stream, %d events only in the export (as of %s), nightly after %d%n",
                seed, records.size(), withheld.size(), export.asOf(), nightlyAt);

        NightlyRunResult nightly;
        try (Destinations destinations = Destinations.open(stream, dir.resolve("sandbox.json"))) {
            JobClient job = StreamJobs.define(stream, EventsMappedConnections.failingOnce(StreamConnections.forConfig(stream)), destinations)
                    .executeAsync("both jobs seed " + seed);
            try {
                long started = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!FailOnceAfterCheckpoint.checkpointed() && System.nanoTime() < started) {
                    Thread.sleep(50);
                }
                assertThat(FailOnceAfterCheckpoint.checkpointed()).as("the job checkpointed within 90 s").isTrue();
                try (KafkaProducer<byte[], byte[]> producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
                    produce(producer, records.subList(0, nightlyAt));
                    nightly = nightly(export, streamYaml);
                    produce(producer, records.subList(nightlyAt, records.size()));
                }
                SortedMap<Long, SortedSet<Long>> expected = new TreeMap<>(scenario.expected);
                expected.put(680L, nightlyOnly(export));
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline && !SANDBOX.client().contactsByList(678, 679, 680).equals(expected)) {
                    Thread.sleep(200);
                }
                Thread.sleep(1500); // anything still in flight would show now
            } finally {
                StreamJobs.cancel(job);
            }
        }

        assertThat(nightly.outcome()).as("seed %d: the nightly run pushed: %s", seed, nightly.report()).isEqualTo("pushed");
        assertThat(nightly.delivered()).as("seed %d: assertions handed over: %s", seed, nightly.report()).isTrue();
        assertThat(nightly.assertions()).as("seed %d: one assertion per user the export names for the stream's cohorts", seed)
                .isEqualTo(export.users(Set.of("c1", "c2", "c3")));
        assertThat(FailOnceAfterCheckpoint.failed()).as("seed %d: the streaming job did fail once", seed).isTrue();
        SortedMap<Long, SortedSet<Long>> lists = SANDBOX.client().contactsByList(678, 679, 680);
        assertThat(lists.get(680L)).as("seed %d: list 680 (the nightly run's own) as the export says", seed)
                .isEqualTo(nightlyOnly(export));
        for (long list : List.of(678L, 679L)) {
            assertThat(lists.get(list)).as("seed %d: list %d (the stream's) as all records say: %s", seed, list,
                    differences(lists.get(list), scenario.expected.get(list))).isEqualTo(scenario.expected.get(list));
        }
        Map<String, Boolean> lastApplied = lastAppliedAdd(SANDBOX.client().log(0));
        for (long list : List.of(678L, 679L)) {
            for (var key : lastApplied.entrySet()) {
                if (key.getKey().endsWith("/lists/" + list)) {
                    long contact = Long.parseLong(key.getKey().split("/")[2]);
                    assertThat(key.getValue()).as("seed %d: the last applied request of %s", seed, key.getKey())
                            .isEqualTo(scenario.expected.get(list).contains(contact));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aHandOffToATopicThatDoesNotExistStopsTheRunBeforeItReadsAnything() throws Exception {
        SANDBOX.reset();
        KAFKA.createTopics(1, "ids-present", "events-present");
        Path streamYaml = config(dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .kafka("bootstrap-servers: " + KAFKA.bootstrapServers(),
                        "topics: {identities: ids-present, events: events-present, assertions: assertions-missing}")
                .write("stream.yaml");
        AgreementScenario.Export export = new AgreementScenario(1).exportAsOf(100.5);
        NightlyRunResult r = nightly(export, streamYaml);
        assertThat(r.outcome()).isEqualTo("invalid-input");
        assertThat(r.report()).contains("nightly.stream-config: " + streamYaml
                + ": kafka.topics.assertions: topic 'assertions-missing' does not exist");
        assertThat(SANDBOX.client().log(0)).as("nothing sent").isEmpty();
    }

    private record NightlyRunResult(String outcome, long assertions, boolean delivered, String report) {}

    private NightlyRunResult nightly(AgreementScenario.Export export, Path streamYaml) throws Exception {
        Path run = Files.createDirectories(dir.resolve("nightly"));
        List<String> ids = new ArrayList<>(export.identities());
        Files.write(run.resolve("identities.jsonl"), ids, StandardCharsets.UTF_8);
        List<String> csv = new ArrayList<>(List.of("user_id,cohort"));
        export.memberships().forEach(r -> csv.add(r[0] + "," + r[1]));
        Files.write(run.resolve("memberships.csv"), csv, StandardCharsets.UTF_8);
        MirrorConfig config = config(run)
                .activations("c1: 678, c2: 679, c3: 679, other: 680")
                .inputs("identities: " + run.resolve("identities.jsonl"), "memberships: " + run.resolve("memberships.csv"))
                .nightly("state-dir: " + run.resolve("state"), "stream-config: " + streamYaml)
                .load();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);
        new NightlyRun(config, new NightlyRun.Options(false, false, false, Optional.of(export.asOf())), clock,
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute();
        try (var files = Files.walk(run.resolve("runs"))) {
            Path report = files.filter(p -> p.getFileName().toString().equals("report.json")).findFirst().orElseThrow();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
            return new NightlyRunResult(json.path("outcome").asText(), json.path("handoff").path("assertions").asLong(),
                    json.path("handoff").path("delivered").asBoolean(), json.toString());
        }
    }

    /** List 680 from the export alone: contacts of users in cohort "other" as of T. */
    private static SortedSet<Long> nightlyOnly(AgreementScenario.Export export) {
        SortedSet<Long> out = new TreeSet<>();
        for (String[] row : export.memberships()) {
            String contact = export.contactByUser().get(row[0]);
            if (NIGHTLY_ONLY.containsKey(row[1]) && contact != null) {
                out.add(Long.parseLong(contact));
            }
        }
        return out;
    }

    /** Per {@code /contacts/C/lists/L}, whether its last applied request was an add (POST) rather than a removal. */
    private static Map<String, Boolean> lastAppliedAdd(List<LogEntry> log) {
        Map<String, Boolean> out = new TreeMap<>();
        log.stream().filter(LogEntry::applied).filter(e -> e.path().startsWith("/contacts/") && e.path().contains("/lists/"))
                .forEach(e -> out.put(e.path(), e.method().equals("POST")));
        return out;
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException {
        int n = 0;
        for (ProducerRecord<byte[], byte[]> r : records) {
            producer.send(r);
            if (++n % 10 == 0) {
                producer.flush();
                Thread.sleep(20);
            }
        }
        producer.flush();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String line) {
        return new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Both jobs' destinations, the sandbox; {@code folder} holds the job's runs (and the stream's
     * checkpoints). Both write its one account: 5 connections each, the account's 10 together.
     */
    private static TestConfig config(Path folder) {
        return TestConfig.of(SANDBOX, folder)
                .adestra("max-attempts: 6", "max-retry-time: 20s", "max-concurrency: 5")
                .taxonomy("import-id: daa3df28-a734-57b4-8891-3a62f5cf9cc8");
    }

    private static String differences(SortedSet<Long> actual, SortedSet<Long> expected) {
        List<String> out = new ArrayList<>();
        expected.stream().filter(c -> !actual.contains(c)).forEach(c -> out.add("missing " + c));
        actual.stream().filter(c -> !expected.contains(c)).forEach(c -> out.add("extra " + c));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }
}

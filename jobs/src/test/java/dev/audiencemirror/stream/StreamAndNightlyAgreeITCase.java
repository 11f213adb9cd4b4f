package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.nightly.NightlyRun;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One answer for both jobs: for random {@link AgreementScenario}s, the streaming job (fed the
 * records in arrival order, failing once at a random point and restoring from a checkpoint) and
 * the nightly run (fed the snapshot the same records amount to: the latest identity per user, the
 * cohorts each user is in by their latest event) must leave the Adestra lists identical to each
 * other and to the answer the scenario computes from the records alone.
 *
 * <p>{@code -Dagreement.seeds=N} runs seeds 1..N (default 6, for verify's time); {@code -Dagreement.seed=S} runs
 * seed S alone. A failure names the seed and the first keys that differ.
 */
class StreamAndNightlyAgreeITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("475f40b8-d3e2-5626-8c9f-79cc87848104").build();

    @TempDir
    Path dir;

    static LongStream seeds() {
        String one = System.getProperty("agreement.seed");
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one));
        }
        return LongStream.rangeClosed(1, Long.getLong("agreement.seeds", 6));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStreamingJobAndTheNightlyRunEndWithTheSameLists(long seed) throws Exception {
        AgreementScenario scenario = new AgreementScenario(seed);
        System.out.printf("seed %d: %d identity and %d event lines; lists %s; %d contacts shared by several users%n", seed,
                scenario.identityLines.size(), scenario.eventLines.size(), scenario.expected, scenario.sharedContacts);

        SortedMap<Long, SortedSet<Long>> streamed = stream(seed, scenario);
        SANDBOX.reset();
        SortedMap<Long, SortedSet<Long>> nightly = nightly(scenario);

        assertThat(streamed).as("seed %d: streaming job vs the records: %s", seed, differences(streamed, scenario.expected))
                .isEqualTo(scenario.expected);
        assertThat(nightly).as("seed %d: nightly run vs the records: %s", seed, differences(nightly, scenario.expected))
                .isEqualTo(scenario.expected);
        assertThat(streamed).as("seed %d: streaming job vs nightly run: %s", seed, differences(streamed, nightly))
                .isEqualTo(nightly);
    }

    // ---- streaming

    private SortedMap<Long, SortedSet<Long>> stream(long seed, AgreementScenario scenario) throws Exception {
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        boolean failIdentities = random.nextBoolean();
        List<String> failing = failIdentities ? scenario.identityLines : scenario.eventLines;
        FailOnceAfterCheckpoint.arm(1 + random.nextInt(failing.size()));
        Path run = Files.createDirectories(dir.resolve("stream"));
        MirrorConfig config = config(run)
                .stream("window: 50ms", "dead-letter-dir: " + run.resolve("stream"))
                .checkpointsEvery("100 ms").fixedDelayRestarts(3, "100 ms")
                .load();
        Connections io = new Connections(scenario, failIdentities);
        try (Destinations destinations = Destinations.open(config, run.resolve("sandbox.json"))) {
            StreamJobs.define(config, io, destinations).execute("agreement seed " + seed);
        }
        assertThat(FailOnceAfterCheckpoint.failed()).as("seed %d: the job did fail once", seed).isTrue();
        assertThat(io.deadLetters.received()).as("seed %d: Adestra refused nothing", seed).isEmpty();
        return SANDBOX.client().contactsByList(678, 679);
    }

    /** The records in arrival order, a few per completed checkpoint; the failure on one of the inputs. */
    private static final class Connections implements StreamConnections {
        final AgreementScenario scenario;
        final boolean failIdentities;
        final CollectingSink<ParseError> rejects = new CollectingSink<>();
        final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        Connections(AgreementScenario scenario, boolean failIdentities) {
            this.scenario = scenario;
            this.failIdentities = failIdentities;
        }

        @Override
        public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
            return lines(env, "identities", scenario.identityLines, 4, failIdentities);
        }

        @Override
        public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
            return lines(env, "events", scenario.eventLines, 15, !failIdentities);
        }

        private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, String source, List<String> lines,
                int perCheckpoint, boolean fail) {
            String[] text = lines.toArray(String[]::new);
            GeneratorFunction<Long, NumberedLine> line = i ->
                    new NumberedLine(source, i + 1, text[i.intValue()].getBytes(StandardCharsets.UTF_8));
            DataStream<NumberedLine> out = env.fromSource(new DataGeneratorSource<>(line, text.length,
                            RateLimiterStrategy.perCheckpoint(perCheckpoint), TypeInformation.of(NumberedLine.class)),
                    WatermarkStrategy.noWatermarks(), source).uid(source + "-lines").setParallelism(1);
            if (!fail) {
                return out;
            }
            return out.map(new FailOnceAfterCheckpoint<NumberedLine>(NumberedLine::number))
                    .returns(TypeInformation.of(NumberedLine.class))
                    .setParallelism(1);
        }

        @Override
        public Sink<ParseError> rejects() {
            return rejects;
        }

        @Override
        public Sink<DeadLetter> deadLetters(String destination) {
            return deadLetters;
        }
    }

    // ---- nightly

    private SortedMap<Long, SortedSet<Long>> nightly(AgreementScenario scenario) throws Exception {
        Path run = Files.createDirectories(dir.resolve("nightly"));
        Files.write(run.resolve("identities.jsonl"), scenario.snapshotIdentities, StandardCharsets.UTF_8);
        List<String> csv = new ArrayList<>(List.of("user_id,cohort"));
        scenario.snapshotMemberships.forEach(r -> csv.add(r[0] + "," + r[1]));
        Files.write(run.resolve("memberships.csv"), csv, StandardCharsets.UTF_8);
        MirrorConfig config = config(run)
                .inputs("identities: " + run.resolve("identities.jsonl"), "memberships: " + run.resolve("memberships.csv"))
                .nightly("state-dir: " + run.resolve("state"))
                .load();
        runNightly(config);
        return SANDBOX.client().contactsByList(678, 679);
    }

    /** The one place this test calls the nightly run: a first run (no last sync), pushing. */
    private static void runNightly(MirrorConfig config) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T02:00:00Z"), ZoneOffset.UTC);
        new NightlyRun(config, new NightlyRun.Options(false, false, false), clock,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).execute();
    }

    // ---- shared

    /** @param run the job's folder: its runs, checkpoints and dead letters go under it */
    private static TestConfig config(Path run) {
        return TestConfig.of(SANDBOX, run)
                .activations("c1: 678, c2: 679, c3: 679")
                .adestra("max-attempts: 6", "max-retry-time: 20s")
                .taxonomy("import-id: 475f40b8-d3e2-5626-8c9f-79cc87848104");
    }

    /** The first few (list, contact) pairs on one side only. */
    private static String differences(SortedMap<Long, SortedSet<Long>> actual, SortedMap<Long, SortedSet<Long>> expected) {
        List<String> out = new ArrayList<>();
        for (Long list : new TreeSet<>(expected.keySet())) {
            SortedSet<Long> a = actual.getOrDefault(list, new TreeSet<>());
            SortedSet<Long> e = expected.get(list);
            e.stream().filter(c -> !a.contains(c)).forEach(c -> out.add("missing contact=" + c + " list=" + list));
            a.stream().filter(c -> !e.contains(c)).forEach(c -> out.add("extra contact=" + c + " list=" + list));
        }
        return out.isEmpty() ? "none" : String.join(", ", out.subList(0, Math.min(10, out.size())));
    }
}

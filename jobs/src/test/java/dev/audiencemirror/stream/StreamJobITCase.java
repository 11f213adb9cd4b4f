package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.SinkMetrics;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.connector.common.testing.FailOnceAfterCheckpoint;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming job end to end on a MiniCluster against the sandbox, with checkpoints on RocksDB
 * (the job's default) and one failure injected mid-stream: the lists must end equal to the
 * membership {@link AgreementScenario} computes from the same records, independently of the job.
 */
class StreamJobITCase {

    @RegisterExtension
    // The sync-mode test runs four jobs at once and reads their accumulators, which come with the heartbeats.
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(8,
            Configuration.fromMap(Map.of("heartbeat.interval", "200 ms")));

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679)
            .lists(SyncModeScenario.MODES.stream().flatMapToLong(m -> LongStream.of(SyncModeScenario.lists(m))).toArray()).imports("c60fea69-30cd-5ff9-9742-15f2b2c19a36").build();

    @TempDir
    Path dir;

    private TestConfig config() {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .adestra("max-attempts: 6", "max-retry-time: 20s")
                .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36")
                .stream("window: 200ms", "dead-letter-dir: " + dir.resolve("stream"), "watch-interval: 200ms")
                .checkpointsEvery("200 ms").fixedDelayRestarts(3, "200 ms");
    }

    /**
     * Replayable sources over the scenario's lines, each letting a batch through per completed
     * checkpoint (so the records are spread over many checkpoints, however slowly the job starts);
     * collecting sinks for what is rejected.
     */
    private static final class TestConnections implements StreamConnections {
        final AgreementScenario scenario;
        final CollectingSink<ParseError> rejects = new CollectingSink<>();
        final CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();

        TestConnections(AgreementScenario scenario) {
            this.scenario = scenario;
        }

        @Override
        public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
            return lines(env, "identities", scenario.identityLines, 25);
        }

        @Override
        public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
            // The failure hits the events: the identities source is elsewhere in its input then.
            return lines(env, "events", scenario.eventLines, 150)
                    .map(new FailOnceAfterCheckpoint<NumberedLine>(NumberedLine::number))
                    .returns(TypeInformation.of(NumberedLine.class))
                    .setParallelism(1);
        }

        private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, String source, List<String> lines,
                int perCheckpoint) {
            String[] text = lines.toArray(String[]::new);
            GeneratorFunction<Long, NumberedLine> line = i ->
                    new NumberedLine(source, i + 1, text[i.intValue()].getBytes(StandardCharsets.UTF_8));
            return env.fromSource(new DataGeneratorSource<>(line, text.length, RateLimiterStrategy.perCheckpoint(perCheckpoint),
                            TypeInformation.of(NumberedLine.class)), WatermarkStrategy.noWatermarks(), source)
                    .uid(source + "-lines")
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

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 17, 42})
    void theListsEndEqualToTheMembershipOfTheRecordsThoughTheJobFailedMidStream(long seed) throws Exception {
        AgreementScenario scenario = new AgreementScenario(seed, 220, 25);
        MirrorConfig config = config().load();
        TestConnections io = new TestConnections(scenario);
        // Somewhere after the first checkpoint and before the last events (150 events per checkpoint).
        FailOnceAfterCheckpoint.arm(200 + new SplittableRandom(seed).nextInt(scenario.eventLines.size() - 500));

        try (Destinations destinations = Destinations.open(config, dir.resolve("sandbox.json"))) {
            StreamJobs.define(config, io, destinations).execute("stream seed " + seed);
        }

        assertThat(FailOnceAfterCheckpoint.failed()).as("the job did fail once").isTrue();
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(scenario.expected);
        assertThat(scenario.expected.values()).allSatisfy(contacts -> assertThat(contacts).hasSizeGreaterThan(20));
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey())).isLessThanOrEqualTo(10);
        assertThat(io.deadLetters.received()).as("Adestra refused nothing").isEmpty();
        // A restart replays rejects after the checkpoint: compare distinct records.
        Set<String> rejected = io.rejects.received().stream()
                .map(e -> e.source() + ":" + e.position())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(rejected).isEqualTo(scenario.planted);
    }

    @Test
    void fileModeReadsFilesMovedIntoTheWatchedFoldersAndWritesRejectsToFiles() throws Exception {
        Path identities = Files.createDirectories(dir.resolve("in/identities"));
        Path events = Files.createDirectories(dir.resolve("in/events"));
        AgreementScenario scenario = new AgreementScenario(5, 30, 3);
        MirrorConfig config = config().watchedFolders(dir.resolve("in")).load();

        try (Destinations destinations = Destinations.open(config, dir.resolve("sandbox.json"))) {
            JobClient job = StreamJobs.define(config, StreamConnections.forConfig(config), destinations)
                    .executeAsync("stream file mode");
            try {
                // Events first: their users are held until the identities arrive.
                moveIn(events, "events-1.jsonl", scenario.eventLines);
                Thread.sleep(500);
                moveIn(identities, "identities-1.jsonl", scenario.identityLines);

                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!SANDBOX.client().contactsByList(678, 679).equals(scenario.expected) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(scenario.expected);

                Path rejects = dir.resolve("stream/rejects");
                while (finishedLines(rejects).size() < scenario.planted.size() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(finishedLines(rejects)).hasSize(scenario.planted.size())
                        .allSatisfy(line -> assertThat(line).contains("\"reason\":").contains("\"raw\":"));
            } finally {
                StreamJobs.cancel(job);
            }
        }
    }

    /** {@code -Dstream.modes.seeds=N} runs seeds 1..N (default 1); {@code -Dstream.modes.seed=S} one. */
    static Stream<Long> modeSeeds() {
        String one = System.getProperty("stream.modes.seed");
        if (one != null) {
            return Stream.of(Long.parseLong(one));
        }
        return LongStream.rangeClosed(1, Long.getLong("stream.modes.seeds", 1)).boxed();
    }

    /**
     * The job in each sync mode, four at once, each on lists of its own that held contacts before it
     * started, all reading the same records in file mode, a phase at a time: after every phase each
     * mode's lists must be exactly what {@link SyncModeScenario} computes for that mode, and must
     * have moved only the way the mode allows.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("modeSeeds")
    void eachSyncModeSendsWhatItAllowsOfTheRecords(long seed) throws Exception {
        SyncModeScenario scenario = new SyncModeScenario(seed, 120);
        scenario.before.forEach(SANDBOX.client()::putList);
        Path in = dir.resolve("in");
        Path identities = Files.createDirectories(in.resolve("identities"));
        Path events = Files.createDirectories(in.resolve("events"));
        Map<String, JobClient> jobs = new LinkedHashMap<>();
        List<Destinations> opened = new ArrayList<>();
        try {
            for (String mode : SyncModeScenario.MODES) {
                Path own = dir.resolve(mode);
                MirrorConfig config = TestConfig.of(SANDBOX, own)
                        .activations(SyncModeScenario.activations(mode))
                        .syncMode(mode)
                        .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36")
                        .stream("window: 200ms", "dead-letter-dir: " + own.resolve("stream"), "watch-interval: 200ms")
                        .watchedFolders(in)
                        .checkpointsEvery("200 ms")
                        .flink("state.backend.type: hashmap") // four jobs on two cores: the lighter backend
                        .load();
                Destinations destinations = Destinations.open(config, own.resolve("sandbox.json"));
                opened.add(destinations);
                jobs.put(mode, StreamJobs.define(config, StreamConnections.forConfig(config), destinations)
                        .executeAsync("stream " + mode));
            }
            long lines = 0;
            SortedMap<Long, SortedSet<Long>> before = scenario.before;
            for (int phase = 0; phase < SyncModeScenario.PHASES; phase++) {
                if (!scenario.identityLines.get(phase).isEmpty()) {
                    moveIn(identities, "identities-" + phase + ".jsonl", scenario.identityLines.get(phase));
                }
                moveIn(events, "events-" + phase + ".jsonl", scenario.eventLines.get(phase));
                lines += scenario.identityLines.get(phase).size() + scenario.eventLines.get(phase).size();
                for (JobClient job : jobs.values()) {
                    readAndCheckpointed(job, lines);
                }
                SortedMap<Long, SortedSet<Long>> expected = scenario.after.get(phase);
                for (String mode : SyncModeScenario.MODES) {
                    String what = String.format("seed %d, phase %d, %s", seed, phase, mode);
                    long[] lists = SyncModeScenario.lists(mode);
                    SortedMap<Long, SortedSet<Long>> want = SyncModeScenario.of(mode, expected);
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (!SANDBOX.client().contactsByList(lists).equals(want) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    SortedMap<Long, SortedSet<Long>> now = SANDBOX.client().contactsByList(lists);
                    assertThat(now).as(what).isEqualTo(want);
                    for (long list : lists) {
                        if (!mode.equals("mirror")) {
                            SortedSet<Long> was = before.get(list);
                            if (mode.equals("remove")) {
                                assertThat(was).as("%s: takes no contact on list %d", what, list).containsAll(now.get(list));
                            } else {
                                assertThat(now.get(list)).as("%s: takes no contact off list %d", what, list).containsAll(was);
                            }
                        }
                    }
                }
                before = expected;
            }
            for (JobClient job : jobs.values()) {
                assertThat(accumulator(job, SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, SinkMetrics.DEAD_LETTERED)))
                        .as("Adestra refused nothing").isZero();
            }
        } finally {
            for (JobClient job : jobs.values()) {
                StreamJobs.cancel(job);
            }
            for (Destinations d : opened) {
                d.close();
            }
        }
        // Each mode met what it may not send: the lists of the four modes all differ in the end.
        SortedMap<Long, SortedSet<Long>> end = scenario.after.get(SyncModeScenario.PHASES - 1);
        assertThat(SyncModeScenario.MODES.stream().map(m -> List.copyOf(SyncModeScenario.of(m, end).values())).distinct())
                .as("the modes' lists at the end").hasSize(SyncModeScenario.MODES.size());
        assertThat(scenario.preexistingRemoved).as("contacts no run put on a list, taken off by an exit").isPositive();
    }

    /** Waits until {@code job} has read {@code lines} records and completed two checkpoints since: every window of them is closed. */
    private static void readAndCheckpointed(JobClient job, long lines) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (accumulator(job, InputCounters.accumulator("identities", InputCounters.RECORDS))
                + accumulator(job, InputCounters.accumulator("events", InputCounters.RECORDS)) < lines) {
            assertThat(System.nanoTime()).as("the job read %d records in time", lines).isLessThan(deadline);
            Thread.sleep(50);
        }
        long checkpoint = accumulator(job, InputCounters.LAST_CHECKPOINT);
        while (accumulator(job, InputCounters.LAST_CHECKPOINT) < checkpoint + 2) {
            assertThat(System.nanoTime()).as("checkpoints complete").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long accumulator(JobClient job, String name) throws Exception {
        Object value = job.getAccumulators().get().get(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Written under a hidden name, then renamed: the source never sees a half-written file. */
    private static void moveIn(Path folder, String name, List<String> lines) throws Exception {
        Path tmp = folder.resolve("." + name + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Lines of the finished (committed) part files in {@code dir}. */
    private static List<String> finishedLines(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("."))
                    .flatMap(f -> {
                        try {
                            return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(l -> !l.isBlank())
                    .toList();
        }
    }
}

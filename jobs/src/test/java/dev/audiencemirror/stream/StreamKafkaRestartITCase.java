package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorProcess;
import dev.audiencemirror.command.Command;
import dev.audiencemirror.kafka.KafkaBrokerProcess;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.StreamSettled;
import dev.audiencemirror.testing.TestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming job in Kafka mode as a user runs it, killed and started again: {@code bin/mirror
 * stream} in a process of its own ({@link MirrorProcess}), a real broker in its own JVM
 * ({@link KafkaBrokerProcess}), 3-partition topics with records keyed by user, and the
 * {@link AgreementScenario} at 200 users (shared contacts, contact changes, same-time identities,
 * late and bad records). Every run ends with the lists the records alone give, computed without
 * the job's code. Each kill is asserted to have come after some list operations were applied and
 * before the job could have read everything (records were still to be produced).
 *
 * <p>{@code -Dkafkarestart.seeds=N} runs the random kill point for seeds 1..N (default 1, for verify's time;
 * the other cases have fixed seeds of their own);
 * {@code -Dkafkarestart.seed=S} runs one.
 */
class StreamKafkaRestartITCase {
    private static final int USERS = 200;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path shared;

    private static KafkaBrokerProcess broker;

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("3bfb333c-d715-5615-8922-2b0cb0bce900").build();

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBrokerProcess(shared.resolve("broker"));
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static LongStream seeds() {
        String one = System.getProperty("kafkarestart.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.rangeClosed(1, Long.getLong("kafkarestart.seeds", 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void killedAtARandomPointWhileRecordsAreProducedTheSameCommandEndsExact(long seed) throws Exception {
        Run run = new Run("kill" + seed, seed);
        Path config = run.config(dir.resolve("checkpoints"), 2);
        double killAt = 0.2 + new SplittableRandom(seed * 31).nextDouble() * 0.5;
        try (Producing producing = run.produceInBackground(0, run.records.size(), 250)) {
            try (MirrorProcess first = run.start("first", config)) {
                // Once the job is up (a first checkpoint), so that the random point falls while it reads.
                await(() -> hasCheckpoint(dir.resolve("checkpoints")), "a first checkpoint");
                // The producer holds at the kill point until the kill, so that a slow job cannot
                // push the kill past the last record.
                int killPoint = (int) (killAt * run.records.size());
                producing.holdAt(killPoint);
                producing.begin();
                await(() -> producing.produced() >= killPoint && run.applied() > 0, "a random point past the first operations");
                run.kill(first, producing);
                producing.release();
            }
            // Records keep coming while the job is down, and after it is back.
            try (MirrorProcess second = run.start("second", config)) {
                assertThat(firstLine(second)).startsWith("start: restoring from checkpoint ");
                producing.awaitDone();
                run.awaitExact(second);
            }
        }
    }

    @Test
    void committedOffsetsWithoutTheirCheckpointsAreRefusedAndARebuildFromTheEarliestOffsetEndsExact() throws Exception {
        Run run = new Run("refuse", 91);
        int part = run.records.size() * 2 / 5;
        try (MirrorProcess first = run.start("first", run.config(dir.resolve("checkpoints-lost"), 2))) {
            try (Producing producing = run.produceInBackground(0, part, 400)) {
                producing.begin();
                producing.awaitDone();
            }
            await(() -> run.applied() > 0 && run.committedOffsets() > 0, "operations applied and offsets committed");
            run.kill(first, null);
        }
        // The checkpoints are gone (another directory), the group's offsets are not.
        Path config = run.config(dir.resolve("checkpoints"), 2);
        long requestsBefore = run.applied();
        try (MirrorProcess refused = run.start("refused", config)) {
            assertThat(refused.exitCode(WAIT)).isEqualTo(Command.REFUSED);
            assertThat(refused.output())
                    .contains("mirror stream: refused: consumer group 'mirror-refuse' has committed offsets (events-refuse: ")
                    .contains("no checkpoint under " + dir.resolve("checkpoints").toUri())
                    .contains("--from-savepoint PATH")
                    .contains("--rebuild-from-earliest reads every topic from its earliest offset");
        }
        assertThat(run.applied()).as("a refused start sends nothing").isEqualTo(requestsBefore);

        try (Producing producing = run.produceInBackground(part, run.records.size(), 1000)) {
            producing.begin();
            producing.awaitDone();
        }
        try (MirrorProcess rebuilt = run.start("rebuilt", config, "--rebuild-from-earliest")) {
            assertThat(firstLine(rebuilt)).startsWith("start: rebuilding (--rebuild-from-earliest): empty state");
            run.awaitExact(rebuilt);
        }
    }

    /**
     * Also the plain case of a kill with the rest of the records produced while the job is down:
     * only the parallelism of the start differs from the same command.
     */
    @Test
    void aSecondJobOnTheSameStateIsRefusedAndARestoreRescaledFromTwoToThreeEndsExact() throws Exception {
        Run run = new Run("rescale", 123);
        int half = run.records.size() / 2;
        Path two = run.config(dir.resolve("checkpoints"), 2);
        try (MirrorProcess first = run.start("first", two)) {
            assertThat(first.awaitLine(l -> l.startsWith("streaming: "), WAIT)).contains("at parallelism 2");
            try (Producing producing = run.produceInBackground(0, half, 400)) {
                producing.begin();
                producing.awaitDone();
            }
            await(() -> run.applied() > 0 && hasCheckpoint(dir.resolve("checkpoints")), "operations applied and a checkpoint");
            try (MirrorProcess second = run.start("second-job", two)) {
                assertThat(second.exitCode(WAIT)).isEqualTo(Command.LOCKED);
                assertThat(second.output()).contains("mirror stream: refused: another job is running on this state");
            }
            assertThat(first.isAlive()).as("the first job runs on").isTrue();
            run.kill(first, null);
        }
        try (Producing producing = run.produceInBackground(half, run.records.size(), 1000)) {
            producing.begin();
            producing.awaitDone();
        }
        try (MirrorProcess rescaled = run.start("rescaled", run.config(dir.resolve("checkpoints"), 3))) {
            assertThat(firstLine(rescaled)).startsWith("start: restoring from checkpoint ");
            assertThat(rescaled.awaitLine(l -> l.startsWith("streaming: "), WAIT)).contains("at parallelism 3");
            run.awaitExact(rescaled);
        }
    }

    /** One scenario on topics and a consumer group of its own. */
    private final class Run {
        final String suffix;
        final AgreementScenario scenario;
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

        Run(String suffix, long seed) throws Exception {
            this.suffix = suffix;
            this.scenario = new AgreementScenario(seed, USERS);
            assertThat(scenario.sharedContacts).as("users sharing a contact").isGreaterThan(5);
            scenario.hardCases.assertPresent();
            broker.createTopics(3, "identities-" + suffix, "events-" + suffix);
            // Interleaved, identities a little ahead; a user's records in one partition, in input order.
            List<String> ids = scenario.identityLines;
            List<String> evs = scenario.eventLines;
            int i = 0;
            int e = 0;
            while (i < ids.size() || e < evs.size()) {
                if (i < ids.size() && (e >= evs.size() || (i + e) % 4 == 0)) {
                    records.add(KafkaScenarioRecords.keyedByUser("identities-" + suffix, ids.get(i++)));
                } else {
                    records.add(KafkaScenarioRecords.keyedByUser("events-" + suffix, evs.get(e++)));
                }
            }
        }

        Path config(Path checkpoints, int parallelism) throws Exception {
            return TestConfig.of(SANDBOX, dir)
                    .sandboxKeysInFiles()
                    .activations("c1: 678, c2: 679, c3: 679")
                    .taxonomy("import-id: 3bfb333c-d715-5615-8922-2b0cb0bce900")
                    .kafka("bootstrap-servers: " + broker.bootstrapServers(), "group-id: mirror-" + suffix,
                            "topics: {identities: identities-%1$s, events: events-%1$s}".formatted(suffix))
                    .stream("window: 200ms", "dead-letter-dir: " + dir.resolve("stream"), "status-interval: 1s")
                    .flink("execution.checkpointing.interval: 300 ms", "execution.checkpointing.dir: " + checkpoints,
                            "parallelism.default: " + parallelism)
                    .write("stream-" + checkpoints.getFileName() + "-" + parallelism + ".yaml");
        }

        MirrorProcess start(String name, Path config, String... more) throws Exception {
            phase("start " + name);
            List<String> args = new ArrayList<>(List.of("stream", "--config", config.toString()));
            args.addAll(List.of(more));
            java.nio.file.Files.createDirectories(dir.resolve("tmp"));
            return MirrorProcess.start(dir.resolve("tmp"), dir.resolve(name + ".log"), args.toArray(String[]::new));
        }

        /** SIGKILL, as an OOM killer or a lost machine stops it: no shutdown hook, no last checkpoint. */
        void kill(MirrorProcess job, Producing producing) throws Exception {
            int producedAtKill = producing == null ? -1 : producing.produced();
            long appliedAtKill = applied();
            phase("kill at " + appliedAtKill + " operations applied");
            job.signal("KILL");
            assertThat(job.exitCode(Duration.ofSeconds(30))).isEqualTo(137);
            assertThat(appliedAtKill).as("list operations applied before the kill").isPositive();
            if (producing != null) {
                assertThat(producedAtKill).as("records produced at the kill, of %d", records.size())
                        .isLessThan(records.size());
            }
        }

        long applied() {
            var stats = SANDBOX.client().stats();
            return stats.requests(Endpoint.ADESTRA_ADD) + stats.requests(Endpoint.ADESTRA_REMOVE);
        }

        long committedOffsets() {
            try (Admin admin = Admin.create(broker.clientProperties())) {
                return admin.listConsumerGroupOffsets("mirror-" + suffix).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).values().stream().filter(o -> o != null).mapToLong(o -> o.offset()).sum();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        Producing produceInBackground(int from, int to, int perSecond) {
            return new Producing(records.subList(from, to), perSecond);
        }

        /** Every record read and every operation applied (lag 0, nothing pending): then the lists as the records alone give them. */
        void awaitExact(MirrorProcess job) throws Exception {
            phase("await settled");
            SortedMap<Long, SortedSet<Long>> expected = scenario.expected;
            assertThat(expected.values()).allSatisfy(c -> assertThat(c).hasSizeGreaterThan(20));
            StreamSettled.await(broker.clientProperties(), "mirror-" + suffix, List.of("identities-" + suffix, "events-" + suffix),
                    StreamSettled.ofStatusLines(() -> {
                        assertThat(job.isAlive()).as("the job runs; it printed:%n%s", job.output()).isTrue();
                        return job.output();
                    }), WAIT);
            phase("settled");
            SortedMap<Long, SortedSet<Long>> actual = SANDBOX.client().contactsByList(678, 679);
            assertThat(actual).as("lists after the restart of %s: %s", suffix, difference(expected, actual)).isEqualTo(expected);
        }
    }

    /** Produces records in order at a steady pace on a thread of its own, once {@link #begin()} is called. */
    private static final class Producing implements AutoCloseable {
        private final List<ProducerRecord<byte[], byte[]>> records;
        private final int perSecond;
        private final AtomicInteger produced = new AtomicInteger();
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private volatile int holdAt = -1;
        private final Thread thread;
        private volatile Throwable failure;

        Producing(List<ProducerRecord<byte[], byte[]>> records, int perSecond) {
            this.records = records;
            this.perSecond = perSecond;
            this.thread = new Thread(this::produce, "producer");
        }

        void begin() {
            thread.start();
        }

        private void produce() {
            java.util.Properties props = broker.clientProperties();
            // A request whose answer is lost under load is sent again after 5 s, not the default 30 s
            // (idempotent: no duplicates), so the slice is produced well within the test's wait.
            props.put("request.timeout.ms", "5000");
            props.put("delivery.timeout.ms", "150000");
            // One batch in flight per partition: a failed batch cannot leave later ones out of sequence.
            props.put("max.in.flight.requests.per.connection", "1");
            try (KafkaProducer<byte[], byte[]> producer = KafkaScenarioRecords.producer(props)) {
                long t0 = System.nanoTime();
                for (int k = 0; k < records.size(); k++) {
                    if (k == holdAt) {
                        producer.flush();
                        released.await();
                        t0 = System.nanoTime() - k * 1_000_000_000L / perSecond;
                    }
                    producer.send(records.get(k), (metadata, e) -> {
                        if (e != null) {
                            failure = e;
                        } else {
                            produced.incrementAndGet();
                        }
                    });
                    long wait = t0 + (k + 1) * 1_000_000_000L / perSecond - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                producer.flush();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Stops before record {@code k} (flushed up to it) until {@link #release()}. */
        void holdAt(int k) {
            holdAt = k;
        }

        void release() {
            released.countDown();
        }

        /** How many of this slice's records the broker has acknowledged. */
        int produced() {
            return produced.get();
        }

        void awaitDone() throws InterruptedException {
            thread.join(Duration.ofSeconds(180).toMillis()); // past the producer's delivery timeout
            assertThat(failure).as("producing; the broker's log ends:%n%s", broker.logTail(40)).isNull();
            assertThat(produced.get()).as("records produced").isEqualTo(records.size());
        }

        @Override
        public void close() throws InterruptedException {
            released.countDown();
            thread.join(WAIT.toMillis());
        }
    }

    /** Per list, how many contacts are missing and how many are extra. */
    private static String difference(SortedMap<Long, SortedSet<Long>> expected, SortedMap<Long, SortedSet<Long>> actual) {
        StringBuilder sb = new StringBuilder();
        expected.forEach((list, want) -> {
            SortedSet<Long> have = actual.getOrDefault(list, new java.util.TreeSet<>());
            long missing = want.stream().filter(c -> !have.contains(c)).count();
            long extra = have.stream().filter(c -> !want.contains(c)).count();
            sb.append("list ").append(list).append(": ").append(want.size()).append(" expected, ").append(missing)
                    .append(" missing, ").append(extra).append(" extra; ");
        });
        return sb.toString();
    }

    private static boolean hasCheckpoint(Path checkpoints) {
        try {
            return RetainedCheckpoints.find(checkpoints.toUri().toString()).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static final long T0 = System.nanoTime();

    /** A line in the test's output with the time since the class started, for reading a slow run. */
    private static void phase(String what) {
        System.out.printf("%7.1f s  %s%n", (System.nanoTime() - T0) / 1e9, what);
    }

    private static String firstLine(MirrorProcess job) throws InterruptedException {
        job.awaitLine(l -> l.startsWith("start: "), WAIT);
        return job.output().lines().findFirst().orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s s for %s", WAIT.toSeconds(), what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}

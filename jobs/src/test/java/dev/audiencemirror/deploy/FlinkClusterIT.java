package dev.audiencemirror.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.kafka.KafkaBrokerExtension;
import dev.audiencemirror.nightly.NightlyScenario;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.stream.KafkaScenarioRecords;
import dev.audiencemirror.stream.StreamScenarios;
import dev.audiencemirror.testing.StreamSettled;
import dev.audiencemirror.testing.TestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The shaded job jar on a real Flink cluster in processes: a JobManager and two TaskManagers, each
 * its own JVM on 127.0.0.1 ({@link LocalFlinkCluster}, configured by conf/local-cluster/config.yaml),
 * against the destination sandbox and a real Kafka broker (KRaft, in-process), both running in this JVM
 * on 127.0.0.1.
 *
 * <ol>
 *   <li>The streaming job in Kafka mode, submitted through the REST API (its main, with the Kafka
 *       preflight, runs in the JobManager, as in application mode), reads identities, events and
 *       segment definitions produced here in chunks; mid-stream one TaskManager is killed with
 *       SIGKILL and a replacement started; the job must restore its last checkpoint, the lists and
 *       the taxonomy import end exactly as {@code AgreementScenario} (shared contacts, contact
 *       changes, same-time identities) and
 *       {@link KafkaScenarioRecords.Segments} compute them, without the job's code, and the
 *       transactional dead-letter topic hold each planted bad record exactly once, nothing else.
 *   <li>The nightly run, submitted with Flink's command-line client ({@code flink run}, attached,
 *       as the Kubernetes CronJob does), twice: the lists and segments must end as computed here.
 * </ol>
 *
 * The API keys are files that the JobManager (where the streaming job's main runs), the client and
 * the TaskManagers read, as the manifests mount them. Every message is offloaded to the blob store
 * ({@code blob.offload.minsize: 0}), so the job's task configuration is in files; while the
 * streaming job runs, and after both tests, nothing the cluster wrote (blobs, uploaded jars,
 * checkpoints, logs) holds a key.
 *
 * Runs in {@code mvn verify} (failsafe, after the shaded jar is built); logs of every process stay
 * under {@code jobs/target/cluster-it/<time>/logs} and their tails are printed when a test fails.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMPORT = "66a3fcae-bb97-5034-9cc6-a0491ddc1329";
    private static final Map<String, Long> NIGHTLY_ACTIVATIONS = Map.of("c1", 700L, "c2", 701L, "c3", 702L);
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** A real broker in this JVM on 127.0.0.1: the JobManager and TaskManagers reach it like any client. */
    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 700, 701, 702).imports(IMPORT)
            .adestraKey("adestra-cluster-" + UUID.randomUUID()).permutiveKey("permutive-cluster-" + UUID.randomUUID())
            .build();

    @RegisterExtension
    @Order(3)
    static final LogTailsOnFailure LOG_TAILS = new LogTailsOnFailure();

    static Path work;
    static Path jobJar;
    static LocalFlinkCluster cluster;
    static LocalFlinkCluster.Node firstTaskManager;

    @BeforeAll
    static void startCluster() throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        work = Path.of(System.getProperty("cluster.workDir", "target/cluster-it")).toAbsolutePath().resolve(stamp);
        Path repo = Path.of(System.getProperty("cluster.repoRoot", "..")).toAbsolutePath().normalize();
        jobJar = Path.of(System.getProperty("cluster.jobJar", "target/audience-mirror-jobs-0.1.0-SNAPSHOT.jar"));
        assertThat(jobJar).as("the shaded job jar (built in package)").exists();
        List<Path> cpFiles = Arrays.stream(System.getProperty("cluster.classpathFiles",
                        "../cluster/target/cluster-classpath.txt").split(","))
                .map(Path::of).toList();
        List<String> addOpens = Arrays.stream(System.getProperty("cluster.addOpens", "").trim().split("\\s+"))
                .filter(s -> !s.isBlank()).toList();

        Map<String, String> overrides = LocalFlinkCluster.testOverrides(work);
        // Every message through the blob store: the job's and its tasks' configuration end up in files.
        overrides.put("blob.offload.minsize", "0");
        Files.createDirectories(work.resolve("tmp"));
        Files.createDirectories(work.resolve("web"));
        cluster = new LocalFlinkCluster(work, repo.resolve("conf/local-cluster/config.yaml"), overrides,
                LocalFlinkCluster.classpath(cpFiles), addOpens, Map.of());
        long started = System.nanoTime();
        // All three at once: the TaskManagers retry until the JobManager answers.
        cluster.startJobManager();
        firstTaskManager = cluster.startTaskManager();
        cluster.startTaskManager();
        cluster.awaitRest(WAIT);
        cluster.awaitTaskManagers(2, WAIT);
        System.out.printf("cluster up in %.1f s at %s, work dir %s%n", (System.nanoTime() - started) / 1e9,
                cluster.restUrl(), work);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Files that hold the keys (as the manifests mount them), under the tests' folders. */
    private static final List<Path> KEY_FILES = new ArrayList<>();

    private static TestConfig withKeyFiles(Path dir) {
        KEY_FILES.add(dir.resolve("adestra-key"));
        KEY_FILES.add(dir.resolve("permutive-key"));
        // TestConfig's default key files too: the config names the two above.
        KEY_FILES.add(dir.resolve("test-keys/adestra-key"));
        KEY_FILES.add(dir.resolve("test-keys/permutive-key"));
        return TestConfig.of(SANDBOX, dir).sandboxKeysInFiles();
    }

    // ------------------------------------------------------------------ streaming

    private static final int CHUNKS = 8;

    @Test
    @Order(1)
    void theStreamingJobOnKafkaRecoversFromItsCheckpointWhenATaskManagerIsKilledAndEverythingEndsExact() throws Exception {
        long t0 = System.nanoTime();
        StreamScenarios.Scenario scenario = StreamScenarios.of(11, 400, 40);
        scenario.hardCases().assertPresent();
        Path dir = Files.createDirectories(work.resolve("stream"));
        String identities = "cluster-identities";
        String events = "cluster-events";
        String segmentsTopic = "cluster-segments";
        String deadLetters = "cluster-dead-letters";
        // Before the submission: the job's main (in the JobManager) checks that every topic exists.
        KAFKA.createTopics(3, identities, events);
        KAFKA.createTopics(1, segmentsTopic, deadLetters);
        KafkaScenarioRecords.Segments segments = new KafkaScenarioRecords.Segments(new SplittableRandom(11), segmentsTopic);
        // Segment definitions spread over the whole run, so some arrive before the kill and some after.
        KafkaScenarioRecords records = new KafkaScenarioRecords(scenario.identityLines(), scenario.eventLines(),
                scenario.planted(), segments, identities, events, true);
        Path config = withKeyFiles(dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .adestra("max-attempts: 10", "max-retry-time: 60s")
                .taxonomy("import-id: " + IMPORT, "linger: 200ms")
                .kafka("bootstrap-servers: " + KAFKA.bootstrapServers(), "group-id: mirror-cluster",
                        "topics: {identities: %s, events: %s, segments: %s, dead-letter: %s}"
                                .formatted(identities, events, segmentsTopic, deadLetters))
                .stream("window: 200ms")
                .checkpointsEvery("1 s").fixedDelayRestarts(20, "1 s")
                .write("stream.yaml");

        String jarId = cluster.uploadJar(jobJar);
        String job = cluster.runJar(jarId, List.of("stream", "--config", config.toString()), 2);
        assertThat(job).as("job id from /jars/run").isNotBlank();
        try {
            runStreaming(scenario, segments, records, job, deadLetters, t0);
        } finally {
            // Also when an assertion failed: the nightly test needs the slots.
            Set<String> ended = Set.of("CANCELED", "FAILED", "FINISHED");
            if (!ended.contains(cluster.jobStatus(job))) {
                cluster.cancel(job);
                cluster.await("the streaming job cancelled", WAIT, () -> ended.contains(cluster.jobStatus(job)));
            }
        }
    }

    private static void runStreaming(StreamScenarios.Scenario scenario, KafkaScenarioRecords.Segments segments,
            KafkaScenarioRecords records, String job, String deadLetters, long t0) throws Exception {
        cluster.await("the streaming job's tasks running", WAIT, () -> cluster.allTasksRunning(job));
        // Parallelism 2 on two TaskManagers of one slot each: both run a share of every operator,
        // except the taxonomy writer (one writer per import, by design).
        assertThat(cluster.get("/overview").path("slots-available").asInt()).as("free slots").isZero();
        List<String> notTwo = new ArrayList<>();
        for (JsonNode v : cluster.get("/jobs/" + job).path("vertices")) {
            if (v.path("parallelism").asInt() != 2) {
                notTwo.add(v.path("parallelism").asInt() + " " + v.path("name").asText());
            }
        }
        assertThat(notTwo).as("vertices not at parallelism 2").singleElement().asString().startsWith("1 taxonomy");

        List<int[]> slices = records.slices(CHUNKS);
        long killed;
        try (KafkaProducer<byte[], byte[]> producer = KafkaScenarioRecords.producer(KAFKA.clientProperties())) {
            for (int i = 0; i < CHUNKS / 2; i++) {
                records.produce(producer, slices.get(i)[0], slices.get(i)[1]);
                Thread.sleep(700);
            }
            // Some work acknowledged by checkpoints, some reached Adestra: then the kill, mid-stream.
            long checkpointsBefore = cluster.completedCheckpoints(job);
            cluster.await("two more checkpoints", WAIT, () -> cluster.completedCheckpoints(job) >= checkpointsBefore + 2);
            cluster.await("the first contacts at Adestra", WAIT, () -> !SANDBOX.client().listContacts(678).isEmpty());
            records.produce(producer, slices.get(CHUNKS / 2)[0], slices.get(CHUNKS / 2)[1]);
            Thread.sleep(300);
            cluster.kill(firstTaskManager);
            killed = System.nanoTime();
            // The rest arrives at the broker while the job is down; the replacement comes a little later.
            for (int i = CHUNKS / 2 + 1; i < CHUNKS; i++) {
                records.produce(producer, slices.get(i)[0], slices.get(i)[1]);
                Thread.sleep(500);
            }
        }
        cluster.startTaskManager();
        cluster.awaitTaskManagers(2, WAIT);
        cluster.await("the job restarted and running again", WAIT,
                () -> cluster.jobMetric(job, "numRestarts") >= 1 && cluster.allTasksRunning(job));
        double recovery = (System.nanoTime() - killed) / 1e9;

        Set<String> planted = records.plantedPositions();
        StreamSettled.await(KAFKA.clientProperties(), "mirror-cluster", List.of("cluster-identities", "cluster-events"),
                StreamSettled.ofRest(cluster::get, job), WAIT,
                () -> SANDBOX.client().importDefinitions(IMPORT).equals(segments.expected())
                        && KafkaScenarioRecords.committedKeys(KAFKA.clientProperties(), deadLetters).size() >= planted.size());
        assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(scenario.expected());
        assertThat(scenario.expected().values()).allSatisfy(c -> assertThat(c).hasSizeGreaterThan(30));
        assertThat(SANDBOX.client().importDefinitions(IMPORT)).isEqualTo(segments.expected());
        assertThat(segments.expected()).hasSizeGreaterThan(5);
        assertThat(SANDBOX.client().stats().maxConcurrencySeen(SANDBOX.adestraKey())).isLessThanOrEqualTo(10);

        // Restored from a checkpoint (not started afresh), after exactly the failure we caused.
        JsonNode restored = cluster.checkpoints(job).path("latest").path("restored");
        assertThat(restored.path("id").asLong(-1)).as("restored checkpoint id: %s", restored).isPositive();
        assertThat(restored.path("is_savepoint").asBoolean(true)).isFalse();
        assertThat(cluster.jobStatus(job)).isEqualTo("RUNNING");

        // Every planted bad record dead-lettered once, keyed by its topic, partition and offset; nothing
        // else (no refused operation either); committed in transactions, so read_committed sees no duplicate.
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaScenarioRecords.readCommitted(KAFKA.clientProperties(), deadLetters);
        assertThat(letters.stream().map(KafkaScenarioRecords::key).toList())
                .as("each planted record once, nothing else").hasSameSizeAs(planted)
                .containsExactlyInAnyOrderElementsOf(planted);
        assertThat(letters).allSatisfy(r -> {
            assertThat(KafkaScenarioRecords.kind(r)).isEqualTo("rejected-input");
            assertThat(JSON.readTree(r.value()).path("reason").asText()).isNotBlank();
        });

        checkPrometheus(job);

        // The job runs: its blobs are there (they go when it ends).
        assertThat(filesHolding(KEY_FILES.get(0).toString())).as("files holding the sinks' configuration")
                .anyMatch(f -> f.startsWith(work.resolve("tmp")));
        assertThat(filesHolding(SANDBOX.adestraKey(), SANDBOX.permutiveKey())).as("files holding a key").isEmpty();
        System.out.printf("streaming (Kafka) on the cluster: %.1f s for %d records, running again %.1f s after the"
                        + " SIGKILL, %d restart(s), restored checkpoint %d%n", (System.nanoTime() - t0) / 1e9,
                records.size(), recovery, cluster.jobMetric(job, "numRestarts"), restored.path("id").asLong());
    }

    /** The alert list's metrics, as the Prometheus reporter of the TaskManagers and the JobManager serves them. */
    private static void checkPrometheus(String job) throws IOException {
        StringBuilder tms = new StringBuilder();
        String jm = "";
        for (LocalFlinkCluster.Node n : cluster.nodes()) {
            if (!n.process.isAlive()) {
                continue;
            }
            String page = LocalFlinkCluster.prometheus(n);
            Files.writeString(n.log.resolveSibling("prometheus-" + n.name + ".txt"), page);
            if (n.name.equals("jobmanager")) {
                jm = page;
            } else {
                tms.append(page);
            }
        }
        assertThat(tms.toString()).contains(
                "flink_taskmanager_job_task_operator_oldestPendingOperationAgeMillis",
                "flink_taskmanager_job_task_operator_operationsDeadLettered",
                "flink_taskmanager_job_task_operator_requestLatencyMillis",
                "flink_taskmanager_job_task_operator_eventToAppliedMillis",
                "flink_taskmanager_job_task_operator_pendingOperations",
                "flink_taskmanager_job_task_operator_listOperationsSent",
                "flink_taskmanager_job_task_operator_input_rejected",
                // Consumer lag, as Flink's Kafka source reports it.
                "flink_taskmanager_job_task_operator_pendingRecords",
                "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max");
        assertThat(jm).contains("flink_jobmanager_job_numberOfFailedCheckpoints", "flink_jobmanager_job_numRestarts",
                "flink_jobmanager_job_lastCheckpointDuration");

        // Every metric the Grafana dashboard queries is served here, under that exact name, except
        // kube-state-metrics' (the nightly CronJob's Jobs), which no Flink process serves.
        Set<String> notFlinks = Set.of("kube_job_status_failed");
        Set<String> queried = DashboardCheck.run(ManifestReferenceTest.repoRoot()).metrics();
        assertThat(queried).as("dashboard metrics").containsAll(notFlinks).hasSizeGreaterThan(10);
        String pages = tms + jm;
        List<String> notServed = queried.stream().filter(m -> !notFlinks.contains(m))
                .filter(m -> !Pattern.compile("(?m)^" + Pattern.quote(m) + "[{ ]").matcher(pages).find()).toList();
        assertThat(notServed).as("metrics the dashboard (%s) queries that no process of the cluster serves",
                DashboardCheck.FILE).isEmpty();
    }

    // ------------------------------------------------------------------ nightly

    private static final NightlyScenario NIGHTLY = new NightlyScenario(300, NIGHTLY_ACTIVATIONS);

    @Test
    @Order(2)
    void theNightlyRunSubmittedWithTheFlinkClientMirrorsListsAndSegmentsTwice() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createDirectories(work.resolve("nightly"));
        NIGHTLY.writeIdentities(dir.resolve("identities.jsonl"));
        Path config = withKeyFiles(dir)
                .activations("c1: 700, c2: 701, c3: 702")
                .taxonomy("import-id: " + IMPORT)
                .nightlyFiles()
                .nightly("max-removal-ratio: 0.9")
                .write("nightly.yaml");

        // Night 1: everything is new.
        List<String[]> night1 = NIGHTLY.memberships(1, 0.4);
        writeNightly(dir, night1, "s1", "s2", "s3");
        LocalFlinkCluster.ClientResult first = nightly(config);
        assertThat(first.exitCode()).as("flink run nightly:\n%s", first.output()).isZero();
        assertThat(first.output()).contains("Adestra list").contains("pushed");
        assertThat(SANDBOX.client().contactsByList(700, 701, 702)).isEqualTo(NIGHTLY.expected(night1));
        assertThat(SANDBOX.client().importDefinitions(IMPORT).keySet()).containsExactly("s1", "s2", "s3");

        // Night 2: a changed audience (adds and removes) and a segment gone: only the net change is sent.
        List<String[]> night2 = NIGHTLY.memberships(2, 0.4);
        writeNightly(dir, night2, "s1", "s3");
        LocalFlinkCluster.ClientResult second = nightly(config);
        assertThat(second.exitCode()).as("flink run nightly:\n%s", second.output()).isZero();
        assertThat(SANDBOX.client().contactsByList(700, 701, 702)).isEqualTo(NIGHTLY.expected(night2));
        assertThat(SANDBOX.client().importDefinitions(IMPORT).keySet()).containsExactly("s1", "s3");

        // A bad config: the client fails (exit code 1) and says why, the cluster stays up.
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(config).replace("activations:", "activatons:"));
        LocalFlinkCluster.ClientResult refused = nightly(bad);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("activatons");
        assertThat(cluster.get("/overview").path("taskmanagers").asInt()).isEqualTo(2);
        System.out.printf("nightly on the cluster: %.1f s for two runs and a refused config%n", (System.nanoTime() - t0) / 1e9);
    }

    private static LocalFlinkCluster.ClientResult nightly(Path config) throws Exception {
        return cluster.client(List.of("run", "-m", cluster.restUrl().substring("http://".length()),
                jobJar.toString(), "nightly", "--config", config.toString()), Map.of(), Duration.ofSeconds(240));
    }

    @Test
    @Order(3)
    void nothingTheClusterWroteHoldsAKey() throws IOException {
        // Logs, checkpoints, uploaded jars, what is left of the blobs, the runs' reports.
        assertThat(filesHolding(SANDBOX.adestraKey(), SANDBOX.permutiveKey())).as("files holding a key").isEmpty();
    }

    /** Files under the cluster's folder (other than the key files) that hold one of {@code texts}. */
    private static List<Path> filesHolding(String... texts) throws IOException {
        List<Path> found = new ArrayList<>();
        // A running cluster removes files as we look (blobs, subsumed checkpoints): skip what is gone.
        Files.walkFileTree(work, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !KEY_FILES.contains(f)) {
                    try {
                        String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (Arrays.stream(texts).anyMatch(content::contains)) {
                            found.add(f);
                        }
                    } catch (IOException gone) {
                        // removed meanwhile
                    }
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private static void writeNightly(Path dir, List<String[]> rows, String... segmentCodes) throws IOException {
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), rows);
        StringBuilder segments = new StringBuilder();
        for (String code : segmentCodes) {
            segments.append("{\"code\":\"").append(code).append("\",\"name\":\"Segment ").append(code).append("\"}\n");
        }
        Files.writeString(dir.resolve("segments.jsonl"), segments);
    }

    // ------------------------------------------------------------------ helpers

    /** On any failure, the tails of the cluster's logs go into the report (and to stderr). */
    static final class LogTailsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
            throw withLogs(t);
        }

        @Override
        public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
            throw withLogs(t);
        }

        private static Throwable withLogs(Throwable t) {
            if (cluster != null) {
                String tails = cluster.logTails(40);
                System.err.println("cluster logs (tails) after " + t + ":" + tails);
                t.addSuppressed(new ClusterLogs(tails));
            }
            return t;
        }
    }

    static final class ClusterLogs extends Exception {
        private static final long serialVersionUID = 1L;

        ClusterLogs(String tails) {
            super("cluster logs, last lines of each:" + tails, null, false, false);
        }
    }
}

package dev.audiencemirror.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node KRaft broker in its own JVM (from the kafka_2.13 jar on the test class
 * path), on fixed loopback ports and a data directory that outlive it: {@link #stop()} kills the
 * process as an outage would, {@link #start()} brings the same broker back on the same address
 * with its data, so clients that knew it reconnect. For tests of what a broker restart does to a
 * job; {@link KafkaBrokerExtension} is the simpler in-process broker for everything else.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dir;
    private final int brokerPort;
    private final Path properties;
    private Process process;

    public KafkaBrokerProcess(Path dir) throws Exception {
        this.dir = dir;
        this.brokerPort = freePort();
        int controllerPort = freePort();
        Files.createDirectories(dir);
        this.properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") );
        run(List.of("kafka.tools.StorageTool", "format", "-t", uuid(), "-c", properties.toString()), "format")
                .waitFor(60, TimeUnit.SECONDS);
    }

    /** Starts the broker (again) and waits until it takes connections. */
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = run(List.of("kafka.Kafka", properties.toString()), "broker");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
                break;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not start; see " + dir.resolve("broker.log"));
                }
                Thread.sleep(100);
            }
        }
        try (Admin admin = Admin.create(clientProperties())) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            // After a kill the broker takes connections before it leads its partitions again; a
            // producer that starts meanwhile meets NOT_LEADER_OR_FOLLOWER, and its idempotent
            // retries can then loop on OUT_OF_ORDER_SEQUENCE_NUMBER for minutes.
            awaitLeaders(admin, admin.listTopics().names().get(60, TimeUnit.SECONDS), deadline);
        }
    }

    /** Waits until the broker itself (not only the controller) says every partition of {@code topics} has a leader. */
    private static void awaitLeaders(Admin admin, Set<String> topics, long deadline) throws Exception {
        while (!topics.isEmpty()) {
            boolean led;
            try {
                led = admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (ExecutionException notYetKnown) {
                led = false; // a topic the controller created and the broker does not know yet
            }
            if (led) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topics + " have no leader after 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Kills the broker process (SIGKILL: no clean shutdown) and waits until it is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The last lines of the broker's log, for a test's failure message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("broker.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            // The controller has them; the broker may not lead them yet. A producer whose first
            // batch meets that can stall on its idempotent retries until its delivery timeout
            // (seen twice in verify: a partition of a new topic unanswered for 60, then 150 s).
            awaitLeaders(admin, Set.of(names), System.nanoTime() + Duration.ofSeconds(60).toNanos());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private Process run(List<String> mainAndArgs, String log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile())).start();
    }

    private static String uuid() {
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}

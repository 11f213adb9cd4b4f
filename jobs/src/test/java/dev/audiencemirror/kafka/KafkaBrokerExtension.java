package dev.audiencemirror.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka broker (broker and controller combined), in-process, on a free
 * loopback port, from Apache Kafka's own test kit on Maven Central: no Docker, nothing installed
 * by hand. Started once per test class, stopped and deleted after it.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            return; // nested classes
        }
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                // One node: every internal topic with one replica, or the broker waits for more.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Properties for an Admin, producer or consumer of this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    /** Creates topics with the given partition count, replication factor 1. */
    public void createTopics(int partitions, String... names) throws Exception {
        createTopics(partitions, java.util.Map.of(), names);
    }

    /** Creates topics with the given partition count and topic configs, replication factor 1. */
    public void createTopics(int partitions, java.util.Map<String, String> configs, String... names) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(java.util.Arrays.stream(names)
                            .map(n -> new NewTopic(n, partitions, (short) 1).configs(configs)).toList())
                    .all()
                    .get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    List<String> topics() throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            return admin.listTopics().names().get().stream().sorted().toList();
        }
    }
}

package dev.audiencemirror.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
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
    /** The password of the SASL/PLAIN broker's user (the test kit's super user, {@code plain-admin}). */
    public static final String SASL_PASSWORD = "plain-admin-secret";
    private static final String LOGIN_CONFIG = "java.security.auth.login.config";

    private final boolean sasl;
    private KafkaClusterTestKit cluster;
    private String loginConfigBefore;

    public KafkaBrokerExtension() {
        this(false);
    }

    private KafkaBrokerExtension(boolean sasl) {
        this.sasl = sasl;
    }

    /**
     * A broker that takes SASL/PLAIN connections only: a client gets in with {@link #saslJaasConfig()}
     * (which {@link #clientProperties()} carry), and without it not at all.
     */
    public static KafkaBrokerExtension saslPlain() {
        return new KafkaBrokerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            return; // nested classes
        }
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1);
        if (sasl) {
            // The test kit writes the broker's JAAS file and names it in this JVM's system property: put it back after.
            loginConfigBefore = System.getProperty(LOGIN_CONFIG);
            // The controller's listener too: the broker registers there, and the authorizer lets only the SASL user in.
            nodes.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
        }
        cluster = new KafkaClusterTestKit.Builder(nodes.build())
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
            if (sasl) {
                if (loginConfigBefore == null) {
                    System.clearProperty(LOGIN_CONFIG);
                } else {
                    System.setProperty(LOGIN_CONFIG, loginConfigBefore);
                }
                javax.security.auth.login.Configuration.setConfiguration(null); // read again when next needed
            }
        }
    }

    /** A client's {@code sasl.jaas.config} for the SASL/PLAIN broker: its user and {@link #SASL_PASSWORD}. */
    public static String saslJaasConfig() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"plain-admin\" password=\""
                + SASL_PASSWORD + "\";";
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Properties for an Admin, producer or consumer of this broker (with the SASL login it takes, if any). */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        if (sasl) {
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", saslJaasConfig());
        }
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

package dev.audiencemirror.kafka;

import dev.audiencemirror.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks, before the job is submitted, that the Kafka cluster answers and that every configured
 * topic exists: a KafkaSource on a missing topic would otherwise wait for it silently, and a
 * wrong broker address would only show as restarts. Problems name the config key.
 */
public final class KafkaPreflight {
    private KafkaPreflight() {}

    /** The streaming job's topics: problems found, as {@code key: problem}; empty when all is well. */
    public static List<String> check(KafkaSettings kafka, Duration timeout) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("kafka.topics.identities", kafka.identitiesTopic());
        topics.put("kafka.topics.events", kafka.eventsTopic());
        if (kafka.segmentsTopic() != null) {
            topics.put("kafka.topics.segments", kafka.segmentsTopic());
        }
        if (kafka.assertionsTopic() != null) {
            topics.put("kafka.topics.assertions", kafka.assertionsTopic());
        }
        if (kafka.deadLetterTopic() != null) {
            topics.put("kafka.topics.dead-letter", kafka.deadLetterTopic());
        }
        return topicsExist(kafka, topics, timeout);
    }

    /** That the cluster answers and has each topic of {@code topics} (config key to topic name). */
    public static List<String> topicsExist(KafkaSettings kafka, Map<String, String> topics, Duration timeout) {
        Properties props = kafka.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        List<String> problems = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            topics.forEach((key, topic) -> {
                if (!existing.contains(topic)) {
                    problems.add(key + ": topic '" + topic + "' does not exist on " + kafka.bootstrapServers()
                            + " (the job does not create topics)");
                }
            });
        } catch (TimeoutException | ExecutionException e) {
            problems.add("kafka.bootstrap-servers: no answer from " + kafka.bootstrapServers() + " within "
                    + timeout.toSeconds() + " s (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("kafka.bootstrap-servers: interrupted while checking " + kafka.bootstrapServers());
        } catch (RuntimeException e) {
            problems.add("kafka: the client could not be created: " + rootMessage(e));
        }
        return problems;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}

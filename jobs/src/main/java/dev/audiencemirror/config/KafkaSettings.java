package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka inputs of the streaming job. {@code properties} pass through to the Kafka clients
 * unchanged (TLS, SASL); those that are secrets are held masked until {@link #clientProperties()}.
 */
public record KafkaSettings(
        String bootstrapServers,
        String groupId,
        String identitiesTopic,
        String eventsTopic,
        String segmentsTopic,
        String deadLetterTopic,
        String assertionsTopic,
        Map<String, String> properties,
        Map<String, Secret> secretProperties) {

    /** The topics the job reads: identities, events, then segments and assertions when configured. */
    public List<String> inputTopics() {
        List<String> topics = new ArrayList<>(List.of(identitiesTopic, eventsTopic));
        if (segmentsTopic != null) {
            topics.add(segmentsTopic);
        }
        if (assertionsTopic != null) {
            topics.add(assertionsTopic);
        }
        return topics;
    }

    /** The client properties with secrets revealed: hand to the Kafka connector only. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        secretProperties.forEach((k, v) -> props.setProperty(k, v.reveal()));
        props.setProperty("bootstrap.servers", bootstrapServers);
        return props;
    }
}

package dev.audiencemirror.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * Kafka inputs of the streaming job. {@code properties} pass through to the Kafka clients
 * unchanged (TLS, SASL); those that are secrets travel as placeholders that the clients resolve
 * where they run ({@link KafkaSecret}), so no Kafka secret is in a job graph.
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
        Map<String, KafkaSecret> secretProperties) {
    private static final String PROVIDERS = "config.providers";

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

    /**
     * The client properties: the secret ones as placeholders, with the config providers that
     * resolve them added to any the properties name ({@code config.providers}).
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        if (!secretProperties.isEmpty()) {
            Set<String> providers = new LinkedHashSet<>();
            for (String p : props.getProperty(PROVIDERS, "").split(",")) {
                if (!p.isBlank()) {
                    providers.add(p.strip());
                }
            }
            providers.add(KafkaSecret.ENV_PROVIDER);
            providers.add(KafkaSecret.DIR_PROVIDER);
            props.setProperty(PROVIDERS, String.join(",", providers));
            props.setProperty(PROVIDERS + "." + KafkaSecret.ENV_PROVIDER + ".class", EnvVarConfigProvider.class.getName());
            props.setProperty(PROVIDERS + "." + KafkaSecret.DIR_PROVIDER + ".class", DirectoryConfigProvider.class.getName());
            secretProperties.forEach((k, v) -> props.setProperty(k, v.placeholder()));
        }
        props.setProperty("bootstrap.servers", bootstrapServers);
        return props;
    }
}

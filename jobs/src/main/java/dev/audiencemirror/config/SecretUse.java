package dev.audiencemirror.config;

/**
 * Which of a config's secrets a command uses. A config is loaded for a command, and only the
 * secrets it uses are read to check that they can be (a nightly run needs no Kafka password of the
 * streaming job's); the others are only checked well named ({@code {env: ...}} or
 * {@code {file: ...}}, never a value).
 */
public enum SecretUse {
    /** {@code adestra.api-key} and {@code taxonomy.api-key}: the destinations'. */
    API_KEYS,
    /** The secret ones of {@code kafka.properties}: this config's Kafka clients'. */
    KAFKA,
    /**
     * The secret Kafka properties of the config that {@code nightly.stream-config} names: a
     * nightly run hands that job its assertions through its Kafka topic.
     */
    STREAM_CONFIG_KAFKA
}

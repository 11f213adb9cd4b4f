package dev.audiencemirror.config;

import java.util.Locale;

/**
 * The config's rule for secrets: a file says where a secret is
 * ({@link dev.audiencemirror.connector.common.SecretRef}), checked readable when the config is
 * loaded for a command that uses it ({@link SecretUse}), and never holds the secret itself; a value
 * written in its place is refused without being repeated. Which values are secrets: the
 * destinations' API keys, and the Kafka client properties that {@link #looksSecret(String)}. Either
 * reaches a job as where it is, and is read where it is used: an API key by the sinks on each
 * TaskManager, a Kafka secret by the Kafka clients through Kafka's config providers
 * ({@link KafkaSecret}).
 */
final class SecretPolicy {
    /** How a config says where a secret is, as problems put it. */
    static final String REFERENCE = "{env: VARIABLE} or {file: /path/to/mounted/secret}";

    private SecretPolicy() {}

    /** The problem with a secret written into the file, e.g. {@code what} = {@code an API key}. */
    static String writtenInline(String what) {
        return what + " must not be written into the config file; use " + REFERENCE;
    }

    /** Property names whose values are credentials in Kafka's client configuration. */
    static boolean looksSecret(String kafkaProperty) {
        String p = kafkaProperty.toLowerCase(Locale.ROOT);
        return p.endsWith(".password") || p.equals("sasl.jaas.config") || p.contains("secret")
                || p.endsWith(".key");
    }

    /**
     * Whether spaces or a line break around a secret Kafka property's value would change it for the
     * client: for all but JAAS text ({@code sasl.jaas.config}), whose syntax ignores them.
     */
    static boolean kafkaValueIsExact(String kafkaProperty) {
        return !kafkaProperty.toLowerCase(Locale.ROOT).equals("sasl.jaas.config");
    }
}

package dev.audiencemirror.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * A Kafka client property whose value is a secret ({@link SecretPolicy#looksSecret}), as the
 * clients get it: a placeholder that they resolve themselves with Kafka's config providers,
 * wherever they run (the main, each TaskManager). So the job carries where the secret is, never
 * the secret, as it does for the API keys. {@code {env: VAR}} becomes {@code ${env:VAR}}
 * ({@link EnvVarConfigProvider}); {@code {file: /dir/name}} becomes {@code ${dir:/dir:name}}
 * ({@link DirectoryConfigProvider}: the file as a key of its folder, as a Secret volume mounts it).
 *
 * @param property the client property, e.g. {@code sasl.jaas.config}
 * @param env whether the secret is an environment variable (else a file)
 * @param where the variable's name or the file's path
 */
public record KafkaSecret(String property, boolean env, String where) {
    /** The names the placeholders use for the two providers; {@link KafkaSettings#clientProperties} configures them. */
    static final String ENV_PROVIDER = "env";
    static final String DIR_PROVIDER = "dir";

    /** What stands for the secret in the client properties. */
    public String placeholder() {
        if (env) {
            return "${" + ENV_PROVIDER + ":" + where + "}";
        }
        Path file = Path.of(where);
        Path dir = file.getParent() == null ? Path.of(".") : file.getParent();
        return "${" + DIR_PROVIDER + ":" + dir + ":" + file.getFileName() + "}";
    }

    /** Where the secret is, e.g. {@code env KAFKA_SASL_JAAS_CONFIG}. */
    public String describe() {
        return (env ? "env " : "file ") + where;
    }

    /** Why the placeholder could not stand for it: Kafka's placeholders separate their parts with ':' and end at '}'. */
    Optional<String> placeholderProblem() {
        if (where.contains(":") || where.contains("}")) {
            return Optional.of("the " + (env ? "variable's name" : "file's path") + " must not contain ':' or '}' (Kafka's"
                    + " config providers read it from the placeholder " + placeholder() + ")");
        }
        return Optional.empty();
    }

    /**
     * Why the clients could not use the value where this process runs, or empty. Kafka's providers
     * take a value as it is written: spaces or a line break around it would be part of it (an API
     * key is trimmed; these are not), which only JAAS text ignores.
     */
    Optional<String> readProblem(Map<String, String> environment) {
        String value;
        if (env) {
            value = environment.get(where);
            if (value == null || value.isBlank()) {
                return Optional.of("environment variable " + where + " is not set or empty");
            }
        } else {
            try {
                value = Files.readString(Path.of(where), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return Optional.of("secret file " + where + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            if (value.isBlank()) {
                return Optional.of("secret file " + where + " is empty");
            }
        }
        if (SecretPolicy.kafkaValueIsExact(property) && !value.equals(value.strip())) {
            return Optional.of("the value in " + describe() + " starts or ends with spaces or a line break, which the Kafka"
                    + " client would take as part of it (its config providers use a value as written); remove them"
                    + (env ? "" : ", e.g. printf '%s' \"$VALUE\" > " + where));
        }
        return Optional.empty();
    }
}

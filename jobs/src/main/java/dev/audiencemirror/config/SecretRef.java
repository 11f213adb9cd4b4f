package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.Secret;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret lives: an environment variable or a mounted file (a Kubernetes Secret volume).
 * Config files only ever hold this reference, never the secret itself.
 */
public record SecretRef(Kind kind, String name) implements Serializable {

    public enum Kind {
        ENV,
        FILE
    }

    /** Reads the secret; the exception names the reference, never a value. */
    public Secret resolve(Map<String, String> env) {
        return switch (kind) {
            case ENV -> {
                String value = env.get(name);
                if (value == null || value.isBlank()) {
                    throw new IllegalStateException("environment variable " + name + " is not set or empty");
                }
                yield Secret.of(value, describe());
            }
            case FILE -> {
                String value;
                try {
                    value = Files.readString(Path.of(name), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException("secret file " + name + " cannot be read (" + e.getClass().getSimpleName() + ")");
                }
                if (value.isBlank()) {
                    throw new IllegalStateException("secret file " + name + " is empty");
                }
                yield Secret.of(value, describe());
            }
        };
    }

    public String describe() {
        return (kind == Kind.ENV ? "env " : "file ") + name;
    }
}

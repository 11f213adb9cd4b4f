package dev.audiencemirror.connector.common;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where a secret is: an environment variable or a mounted file (a Kubernetes Secret volume). This
 * is what a sink's config holds and what travels inside the job graph: the reference, never the
 * value, so HA storage, blob storage and job submissions hold no key. Each TaskManager resolves
 * it itself, where the request is made ({@link RotatingSecret}).
 *
 * <p>The third kind, {@link #notSecret}, carries a value that is not a secret (the embedded
 * sandbox's fixed key, a test's): it is in the job graph as it is, and says so when described.
 */
@PublicEvolving
public final class SecretRef implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        ENV,
        FILE,
        /** A value that is not a secret, carried in the job as it is. */
        NOT_SECRET
    }

    private final Kind kind;
    /** The variable's name, the file's path, or (for {@link Kind#NOT_SECRET}) the value. */
    private final String name;
    /** What a {@link Kind#NOT_SECRET} value is, for messages; null for the other kinds. */
    private final String label;

    private SecretRef(Kind kind, String name, String label) {
        this.kind = kind;
        this.name = name;
        this.label = label;
    }

    /** The environment variable {@code variable} of the process that resolves it. */
    public static SecretRef env(String variable) {
        return new SecretRef(Kind.ENV, requireName(variable, "environment variable"), null);
    }

    /** The file at {@code path}, read where it is resolved (each TaskManager mounts it). */
    public static SecretRef file(String path) {
        return new SecretRef(Kind.FILE, requireName(path, "secret file path"), null);
    }

    /**
     * A value that is not a secret, e.g. the embedded sandbox's fixed key: carried in the job graph.
     *
     * @param label what it is, for messages, e.g. {@code the embedded sandbox's default key}
     */
    public static SecretRef notSecret(String value, String label) {
        return new SecretRef(Kind.NOT_SECRET, requireName(value, "value"), requireName(label, "label"));
    }

    private static String requireName(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the value can change while a process runs (a file can; a process's environment cannot). */
    public boolean canChange() {
        return kind == Kind.FILE;
    }

    /** The file's path, for {@link Kind#FILE}. */
    public Path path() {
        if (kind != Kind.FILE) {
            throw new IllegalStateException(describe() + " is not a file");
        }
        return Path.of(name);
    }

    /** Reads the secret in this process. */
    public Secret resolve() {
        return resolve(System.getenv());
    }

    /**
     * Reads the secret, environment variables from {@code env}.
     *
     * @throws IllegalStateException naming the reference (never a value) when it cannot be read
     */
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
                    throw new IllegalStateException("secret file " + name + " cannot be read ("
                            + e.getClass().getSimpleName() + ")");
                }
                if (value.isBlank()) {
                    throw new IllegalStateException("secret file " + name + " is empty");
                }
                yield Secret.of(value, describe());
            }
            case NOT_SECRET -> Secret.of(name, describe());
        };
    }

    /** Where the secret is, e.g. {@code env ADESTRA_API_KEY}, {@code file /opt/mirror/secrets/adestra-api-key}. */
    public String describe() {
        return switch (kind) {
            case ENV -> "env " + name;
            case FILE -> "file " + name;
            case NOT_SECRET -> label;
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRef other && kind == other.kind && name.equals(other.name)
                && Objects.equals(label, other.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }
}

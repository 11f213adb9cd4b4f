package dev.audiencemirror.connector.common;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A secret (API key, password) that cannot leak by accident: {@link #toString()} is masked, so a key that ends up
 * in a log line, an exception message, a metric name or a report shows as {@code ****}. The raw
 * value is only reachable through {@link #reveal()}, which the HTTP layer calls when it sets the
 * auth header.
 */
@PublicEvolving
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String MASK = "****";

    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /**
     * @param value the raw secret, not blank
     * @param source where it came from, for diagnostics ("env ADESTRA_API_KEY", "file /run/x");
     *     never the value
     */
    public static Secret of(String value, String source) {
        Objects.requireNonNull(value, "secret");
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("secret from " + source + " is empty");
        }
        return new Secret(trimmed, Objects.requireNonNull(source, "source"));
    }

    /** The raw value: for the auth header or client property only. */
    public String reveal() {
        return value;
    }

    /** Where the secret was read from (never its value). */
    public String source() {
        return source;
    }

    /** Masked, with its source: safe to print. */
    public String describe() {
        return MASK + " (from " + source + ")";
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        // Constant-time comparison: keys are compared when the sandbox or a test checks them.
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8),
                        other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}

package dev.audiencemirror.connector.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A secret (API key, password) that cannot leak by accident: {@link #toString()} is masked, so a key that ends up
 * in a log line, an exception message, a metric name or a report shows as {@code ****}. The raw
 * value is only reachable through {@link #reveal()}, which the HTTP layer calls when it sets the
 * auth header.
 *
 * <p>Not serializable on purpose: what a job carries is the {@link SecretRef}, and a resolved
 * secret put into a job graph by mistake fails the submission instead of being stored with it.
 */
@PublicEvolving
public final class Secret {
    public static final String MASK = "****";
    /** Bytes of the SHA-256 in {@link #fingerprint()}: 32 bits. */
    private static final int FINGERPRINT_BYTES = 4;

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

    /**
     * Which key this is, without revealing it: the first 32 bits of the SHA-256 of the value, as
     * an unsigned number (what the sinks' {@code apiKeyFingerprint} gauge shows). An operator
     * compares it with {@code printf '%d\n' 0x$(printf %s "$KEY" | sha256sum | cut -c1-8)}.
     * 32 bits of a hash say nothing usable about a random API key, and many keys share them.
     */
    public long fingerprint() {
        return Long.parseLong(fingerprintHex(), 16);
    }

    /** {@link #fingerprint()} as 8 hex digits, as {@code sha256sum} prints them. */
    public String fingerprintHex() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
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

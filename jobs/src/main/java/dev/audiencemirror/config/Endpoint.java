package dev.audiencemirror.config;

import java.io.Serializable;
import java.net.URI;

/**
 * A destination base URL, or {@code embedded} for the in-process sandbox that a local run starts
 * itself.
 */
public record Endpoint(String raw, URI uri) implements Serializable {

    public static final String EMBEDDED = "embedded";

    public static Endpoint embedded() {
        return new Endpoint(EMBEDDED, null);
    }

    public boolean isEmbedded() {
        return uri == null;
    }

    @Override
    public String toString() {
        return raw;
    }
}

package dev.audiencemirror.config;

import dev.audiencemirror.connector.common.SecretRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The keys both destinations ({@code adestra:}, {@code taxonomy:}) take, read alike. */
final class DestinationFields {

    /** How each request is bounded and retried. */
    record Requests(Duration timeout, int maxAttempts, Duration maxRetryTime, Duration maxBackoff) {}

    private DestinationFields() {}

    /** {@code base-url}: {@code embedded} (the default), or https (plain http for loopback only). */
    static Endpoint baseUrl(Fields f) {
        String raw = f.string("base-url", Endpoint.EMBEDDED);
        if (raw == null || Endpoint.EMBEDDED.equals(raw)) {
            return Endpoint.embedded();
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            f.problem("base-url", "not a URL: '" + raw + "'");
            return Endpoint.embedded();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            f.problem("base-url", "expected 'embedded' or an https:// URL, found '" + raw + "'");
            return Endpoint.embedded();
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            f.problem("base-url", "must use https:// (the API key would travel in clear); plain http is allowed only for loopback addresses, found host '" + uri.getHost() + "'");
        }
        String normalized = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        return new Endpoint(normalized, URI.create(normalized));
    }

    /**
     * {@code api-key}: required unless the destination is the embedded sandbox; where the key is,
     * checked readable here (the process that runs the main) before anything is submitted, when the
     * command uses the keys.
     */
    static Optional<SecretRef> apiKey(Fields f, Endpoint url) {
        if (!f.has("api-key") && !url.isEmbedded()) {
            f.problem("api-key", "required for " + url.raw() + ": name where the key is, " + SecretPolicy.REFERENCE);
        }
        return f.secretRef("api-key", "an API key", SecretUse.API_KEYS);
    }

    /** {@code request-timeout}, {@code max-attempts}, {@code max-retry-time}, {@code max-backoff}. */
    static Requests requests(Fields f, Duration defaultTimeout) {
        return new Requests(
                f.duration("request-timeout", defaultTimeout),
                f.integer("max-attempts", 10, 1, 1000, null),
                f.duration("max-retry-time", Duration.ofMinutes(5)),
                f.duration("max-backoff", Duration.ofSeconds(30)));
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: no DNS look-up at config time.
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Turns a list operation into its HTTP request: ADD is {@code POST}, REMOVE is {@code DELETE}, on
 * {@code /contacts/{contact}/lists/{list}}; and a list's check into {@code GET /lists/{list}}. The path segments are encoded, so a malformed contact
 * ID reaches the API as data (and is refused there with a 400) rather than changing the path. The
 * operation's version goes along in {@value #VERSION_HEADER}, which Adestra ignores: a proxy's or
 * the sandbox's request log can show the order per key with it.
 */
final class ListOperationRequestConverter {
    static final String VERSION_HEADER = "X-Audience-Mirror-Version";

    private final AdestraSinkConfig config;
    private final String base;

    ListOperationRequestConverter(AdestraSinkConfig config) {
        this.config = config;
        this.base = config.baseUrl().toString();
    }

    /** @param key the key to send it with, the sender's current one */
    HttpRequest toRequest(ListOperation op, Secret key) {
        URI uri = URI.create(base + "/contacts/" + segment(op.contactId()) + "/lists/" + op.listId());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Authorization", config.authorizationHeader(key))
                .header("Accept", "application/json")
                .header(VERSION_HEADER, Long.toString(op.version()));
        return (op.action() == ListAction.ADD ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.DELETE()).build();
    }

    /** {@code GET /lists/{list}}: whether the list exists (the preflight, and a removal answered 404). */
    static HttpRequest readList(AdestraSinkConfig config, long listId, Secret key) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + "/lists/" + listId))
                .timeout(config.requestTimeout())
                .header("Authorization", config.authorizationHeader(key))
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    /** The operation as it would be sent, for a dead letter (no key in it). */
    static String describe(ListOperation op) {
        return "{\"action\":\"" + op.action() + "\",\"contact_id\":\"" + op.contactId().replace("\"", "\\\"")
                + "\",\"list_id\":" + op.listId() + ",\"version\":" + op.version() + ",\"event_time\":"
                + op.eventTimeMillis() + "}";
    }

    static String key(ListOperation op) {
        return "contact=" + op.contactId() + " list=" + op.listId();
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

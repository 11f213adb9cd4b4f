package dev.audiencemirror.sandbox.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request, read completely off the exchange. Reading the body up front lets the answer be
 * sent later from another thread (injected latency, slow answers) without touching the socket's input.
 */
public final class Request {

    private final String method;
    private final String path;
    private final List<String> segments;
    private final Map<String, String> query;
    private final Headers headers;
    private final byte[] body;

    private Request(String method, String path, Map<String, String> query,
                    Headers headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.segments = split(path);
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    public static Request read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        return new Request(exchange.getRequestMethod(), path == null ? "/" : path,
                parseQuery(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), body);
    }

    public String method() {
        return method;
    }

    /** The decoded path, e.g. {@code /contacts/1/lists/678}. */
    public String path() {
        return path;
    }

    /** The path's non-empty segments, decoded. */
    public List<String> segments() {
        return segments;
    }

    public String segment(int i) {
        return segments.get(i);
    }

    public String query(String name) {
        return query.get(name);
    }

    public String header(String name) {
        return headers.getFirst(name);
    }

    public byte[] body() {
        return body;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>(6);
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, String> parseQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}

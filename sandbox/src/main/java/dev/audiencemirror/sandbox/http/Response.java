package dev.audiencemirror.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete answer, built before anything is written so that it can be sent at a chosen moment. */
public record Response(int status, Map<String, String> headers, byte[] body) {

    private static final byte[] EMPTY = new byte[0];

    public static Response noContent() {
        return new Response(204, Map.of(), EMPTY);
    }

    public static Response json(int status, Object value) {
        return new Response(status, Map.of("Content-Type", "application/json"), Json.bytes(value));
    }

    /** A plain-text answer, e.g. the Taxonomy API's 400 "Invalid value for: body". */
    public static Response text(int status, String body) {
        return new Response(status, Map.of("Content-Type", "text/plain; charset=UTF-8"),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Response error(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return json(status, body);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, h, body);
    }

    /** Writes status, headers and body and ends the exchange; a client that went away is not an error. */
    public void send(HttpExchange exchange) {
        try {
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (body.length == 0) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException clientGone) {
            // The client closed the connection (e.g. its timeout fired); nothing left to tell it.
        } finally {
            exchange.close();
        }
    }
}

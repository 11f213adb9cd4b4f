package dev.audiencemirror.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Destination API calls for tests, made with the JDK HttpClient over HTTP/1.1 as the connectors do. */
public final class ApiCalls {

    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final SandboxServer server;

    public ApiCalls(SandboxServer server) {
        this.server = server;
    }

    public ApiCalls(SandboxExtension sandbox) {
        this(sandbox.server());
    }

    /** POST or DELETE with the valid key. */
    public HttpResponse<String> adestra(String method, Object contactId, Object listId) {
        return adestra(method, contactId, listId, "TOKEN " + server.adestraKey());
    }

    /** POST or DELETE with the given Authorization header (null = none). */
    public HttpResponse<String> adestra(String method, Object contactId, Object listId, String authorization) {
        HttpRequest.Builder b = request("/contacts/" + contactId + "/lists/" + listId)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    /** PATCH segments with the write key. */
    public HttpResponse<String> patch(String importId, String body) {
        return patch(importId, body, server.permutiveKey());
    }

    public HttpResponse<String> patch(String importId, String body, String key) {
        HttpRequest.Builder b = request("/imports/" + importId + "/segments")
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return send(b.build());
    }

    /** GET a path (with query) sending {@code key} as X-Api-Key unless null. */
    public HttpResponse<String> get(String pathAndQuery, String key) {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return send(b.build());
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (!isClientPoolRace(e)) {
                    throw e;
                }
                CLIENT_POOL_RACE_RETRIES.incrementAndGet();
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Retries made because of JDK-8338569: on Java 17 the HttpClient's own connection pool may close a
     * just-reused keep-alive connection ("connection closed locally") and swallow the answer of a request
     * the server did handle. Tests that count effects allow one idempotent repeat per retry.
     */
    public static final AtomicLong CLIENT_POOL_RACE_RETRIES = new AtomicLong();

    /** True for the client-side pool race, never for a connection the server dropped. */
    public static boolean isClientPoolRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("connection closed locally")) {
                return true;
            }
        }
        return false;
    }

    /** {@code {"operations":[...]}} from item JSON strings. */
    public static String ops(String... items) {
        return "{\"operations\":[" + String.join(",", items) + "]}";
    }

    public static String create(String code, String name) {
        return "{\"operation\":\"Create\",\"data\":{\"code\":\"" + code + "\",\"name\":\"" + name + "\"}}";
    }

    public static String update(String code, String name) {
        return "{\"operation\":\"Update\",\"code\":\"" + code + "\",\"data\":{\"name\":\"" + name + "\"}}";
    }

    public static String delete(String code) {
        return "{\"operation\":\"Delete\",\"code\":\"" + code + "\"}";
    }
}

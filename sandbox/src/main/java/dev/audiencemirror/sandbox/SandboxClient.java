package dev.audiencemirror.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.http.Json;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A typed client of the {@code /_sandbox/} inspection and set-up API. It speaks HTTP, so it works the
 * same against an in-process sandbox and a standalone one ({@code bin/mirror sandbox}).
 * Every call throws {@link SandboxClientException} on a non-2xx answer.
 */
public final class SandboxClient {

    /** A non-2xx answer from the sandbox. */
    public static final class SandboxClientException extends RuntimeException {
        private final int status;

        SandboxClientException(String what, int status, String body) {
            super(what + " → " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** One page of the request log; pass {@code nextSince} as the next {@code since}. */
    public record LogPage(List<LogEntry> entries, long nextSince, long firstAvailable) {}

    private final String base;
    private final HttpClient http;

    private SandboxClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** @param baseUrl the sandbox's base URL, e.g. {@code http://127.0.0.1:8089} */
    public static SandboxClient connect(String baseUrl) {
        return new SandboxClient(baseUrl);
    }

    public String baseUrl() {
        return base;
    }

    // ---- Adestra lists

    /** The list's contact ids, sorted. @throws SandboxClientException 404 if the list does not exist */
    public SortedSet<Long> listContacts(long listId) {
        JsonNode body = call("GET", "/_sandbox/adestra/lists/" + listId, null);
        SortedSet<Long> out = new TreeSet<>();
        body.get("contacts").forEach(n -> out.add(n.asLong()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** Each list's contact ids, by list id: what a test compares with the lists it expects. */
    public SortedMap<Long, SortedSet<Long>> contactsByList(Collection<Long> listIds) {
        SortedMap<Long, SortedSet<Long>> out = new TreeMap<>();
        listIds.forEach(list -> out.put(list, listContacts(list)));
        return Collections.unmodifiableSortedMap(out);
    }

    /** @see #contactsByList(Collection) */
    public SortedMap<Long, SortedSet<Long>> contactsByList(long... listIds) {
        return contactsByList(java.util.Arrays.stream(listIds).boxed().toList());
    }

    /** The ids of all lists. */
    public SortedSet<Long> lists() {
        SortedSet<Long> out = new TreeSet<>();
        call("GET", "/_sandbox/adestra/lists", null).get("lists").forEach(n -> out.add(n.get("list_id").asLong()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** Creates an empty list; a list that exists keeps its contacts. */
    public void createList(long listId) {
        call("PUT", "/_sandbox/adestra/lists/" + listId, null);
    }

    /** Creates the list or replaces its contacts, e.g. to start a test from a known destination state. */
    public void putList(long listId, Collection<Long> contacts) {
        call("PUT", "/_sandbox/adestra/lists/" + listId, Map.of("contacts", contacts));
    }

    /** Deletes the list; later adds to it answer 404. */
    public void deleteList(long listId) {
        call("DELETE", "/_sandbox/adestra/lists/" + listId, null);
    }

    // ---- Keys

    /**
     * From now on only {@code adestra} (if not null) are valid Adestra keys and only
     * {@code permutive} (if not null) valid Taxonomy write keys: a key rotation ({@code PUT /_sandbox/keys}).
     */
    public void acceptKeys(List<String> adestra, List<String> permutive) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (adestra != null) {
            body.put("adestra", adestra);
        }
        if (permutive != null) {
            body.put("permutive", permutive);
        }
        call("PUT", "/_sandbox/keys", body);
    }

    // ---- Taxonomy imports

    /** The import's segments, code → segment, sorted by code. @throws SandboxClientException 404 if unknown */
    public SortedMap<String, Segment> importSegments(String importId) {
        JsonNode segments = call("GET", "/_sandbox/taxonomy/imports/" + enc(importId), null).get("segments");
        SortedMap<String, Segment> out = new TreeMap<>();
        segments.properties().forEach(e -> out.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Segment.class)));
        return Collections.unmodifiableSortedMap(out);
    }

    /** The import's segments as definitions ({@link Segment#asDefinition}). @throws SandboxClientException 404 if unknown */
    public SortedMap<String, Segment> importDefinitions(String importId) {
        SortedMap<String, Segment> out = new TreeMap<>();
        importSegments(importId).forEach((code, s) -> out.put(code, s.asDefinition()));
        return Collections.unmodifiableSortedMap(out);
    }

    /** The ids of all imports. */
    public SortedSet<String> imports() {
        SortedSet<String> out = new TreeSet<>();
        call("GET", "/_sandbox/taxonomy/imports", null).get("imports").forEach(n -> out.add(n.get("import_id").asText()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** Creates an empty import; an import that exists keeps its segments. */
    public void createImport(String importId) {
        call("PUT", "/_sandbox/taxonomy/imports/" + enc(importId), null);
    }

    /** Creates the import or replaces its segments. */
    public void putImport(String importId, Collection<Segment> segments) {
        call("PUT", "/_sandbox/taxonomy/imports/" + enc(importId), Map.of("segments", segments));
    }

    public void deleteImport(String importId) {
        call("DELETE", "/_sandbox/taxonomy/imports/" + enc(importId), null);
    }

    // ---- Observation and control

    public SandboxStats stats() {
        return Json.MAPPER.convertValue(call("GET", "/_sandbox/stats", null), SandboxStats.class);
    }

    /** All log entries after {@code since} (0 = from the start), following pages. */
    public List<LogEntry> log(long since) {
        List<LogEntry> out = new ArrayList<>();
        while (true) {
            LogPage page = logPage(since, 10_000);
            out.addAll(page.entries());
            if (page.entries().isEmpty() || page.nextSince() == since) {
                return out;
            }
            since = page.nextSince();
        }
    }

    /** One page of at most {@code limit} log entries after {@code since}. */
    public LogPage logPage(long since, int limit) {
        JsonNode body = call("GET", "/_sandbox/log?since=" + since + "&limit=" + limit, null);
        List<LogEntry> entries = new ArrayList<>();
        body.get("entries").forEach(n -> entries.add(Json.MAPPER.convertValue(n, LogEntry.class)));
        return new LogPage(entries, body.get("next_since").asLong(), body.get("first_available").asLong());
    }

    public FaultConfig faults() {
        return Json.MAPPER.convertValue(call("GET", "/_sandbox/faults", null), FaultConfig.class);
    }

    /** Replaces the faults (and restarts their ordinal, so a seeded sequence starts over). */
    public void setFaults(FaultConfig faults) {
        call("PUT", "/_sandbox/faults", faults);
    }

    public void clearFaults() {
        setFaults(FaultConfig.NONE);
    }

    /** Back to the configured lists and imports (empty), no stats or log, the start faults. */
    public void reset() {
        call("POST", "/_sandbox/reset", null);
    }

    /** Writes the state file now. @throws SandboxClientException 409 if there is none */
    public void save() {
        call("POST", "/_sandbox/save", null);
    }

    public boolean healthy() {
        try {
            return "ok".equals(call("GET", "/_sandbox/health", null).path("status").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JsonNode call(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() / 100 != 2) {
            throw new SandboxClientException(method + " " + path, r.statusCode(), text);
        }
        try {
            return r.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer to " + method + " " + path + ": " + text, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

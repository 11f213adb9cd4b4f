package dev.audiencemirror.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.http.Json;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import dev.audiencemirror.sandbox.inspect.RequestLog;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import dev.audiencemirror.sandbox.taxonomy.TaxonomyImport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Inspection and set-up under {@code /_sandbox/}: no key, never faulted, never counted in stats or
 * the log. Bodies are read strictly (unknown fields are a 400) so a typo in a fault name is not silently ignored.
 */
final class AdminHandler {

    /** Body of {@code PUT /_sandbox/adestra/lists/{id}}. */
    record ListBody(List<Long> contacts) {}

    /** Body of {@code PUT /_sandbox/taxonomy/imports/{id}}. */
    record ImportBody(String name, List<Segment> segments) {}

    /** Body of {@code PUT /_sandbox/keys}: the keys valid from now on, per API; a missing one stays as it is. */
    record KeysBody(List<String> adestra, List<String> permutive) {}

    private static final int DEFAULT_LOG_PAGE = 10_000;

    private final SandboxCore core;

    AdminHandler(SandboxCore core) {
        this.core = core;
    }

    Response handle(Request r) {
        List<String> s = r.segments().subList(1, r.segments().size());
        String m = r.method();
        String what = s.isEmpty() ? "" : s.get(0);
        try {
            switch (what) {
                case "health":
                    return only(m, "GET", s, 1) ? health() : notAllowed(r);
                case "stats":
                    return only(m, "GET", s, 1) ? Response.json(200, core.stats.snapshot(core.concurrency)) : notAllowed(r);
                case "log":
                    return only(m, "GET", s, 1) ? log(r) : notAllowed(r);
                case "reset":
                    if (!only(m, "POST", s, 1)) {
                        return notAllowed(r);
                    }
                    core.reset();
                    return Response.json(200, Map.of("reset", true));
                case "save":
                    return only(m, "POST", s, 1) ? save() : notAllowed(r);
                case "faults":
                    return s.size() != 1 ? notFound(r) : m.equals("GET") ? faults()
                            : m.equals("PUT") ? putFaults(r) : notAllowed(r);
                case "keys":
                    return only(m, "PUT", s, 1) ? putKeys(r) : notAllowed(r);
                case "adestra":
                    return adestra(r, s);
                case "taxonomy":
                    return taxonomy(r, s);
                default:
                    return notFound(r);
            }
        } catch (BadBody e) {
            return Response.error(400, "bad_request", e.getMessage());
        }
    }

    private Response health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("adestra_lists", core.lists.sizes().size());
        body.put("taxonomy_imports", core.imports.all().size());
        body.put("taxonomy_row_errors", core.settings.taxonomyRowErrors());
        if (core.persister != null) {
            body.put("state_file", core.persister.file().path().toString());
            IOException err = core.persister.lastError();
            body.put("state_file_error", err == null ? null : err.getMessage());
        }
        return Response.json(200, body);
    }

    private Response log(Request r) throws BadBody {
        long since = number(r.query("since"), "since", 0);
        int limit = (int) number(r.query("limit"), "limit", DEFAULT_LOG_PAGE);
        RequestLog.Page page = core.log.since(since, Math.max(1, limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", page.entries());
        body.put("next_since", page.nextSince());
        body.put("first_available", page.firstAvailable());
        return Response.json(200, body);
    }

    private Response save() {
        if (core.persister == null) {
            return Response.error(409, "no_state_file", "the sandbox was started without a state file");
        }
        try {
            core.persister.flush();
            return Response.json(200, Map.of("saved", core.persister.file().path().toString()));
        } catch (IOException e) {
            return Response.error(500, "state_file_error", e.getMessage());
        }
    }

    private Response faults() {
        ObjectNode body = Json.MAPPER.valueToTree(core.faults.config());
        body.put("fail_next_remaining", core.faults.failNextRemaining());
        return Response.json(200, body);
    }

    private Response putFaults(Request r) throws BadBody {
        FaultConfig c = r.body().length == 0 ? FaultConfig.NONE : strict(r.body(), FaultConfig.class);
        core.faults.configure(c);
        return faults();
    }

    /** Replaces the valid keys; the answer says how many each API accepts, never which. */
    private Response putKeys(Request r) throws BadBody {
        KeysBody body = r.body().length == 0 ? new KeysBody(null, null) : strict(r.body(), KeysBody.class);
        try {
            if (body.adestra() != null) {
                core.adestra.acceptKeys(nonBlank(body.adestra(), "adestra"));
            }
            if (body.permutive() != null) {
                core.taxonomy.acceptKeys(nonBlank(body.permutive(), "permutive"));
            }
        } catch (IllegalArgumentException e) {
            throw new BadBody(e.getMessage());
        }
        return Response.json(200, Map.of("adestra_keys", body.adestra() == null ? -1 : body.adestra().size(),
                "permutive_keys", body.permutive() == null ? -1 : body.permutive().size()));
    }

    private static List<String> nonBlank(List<String> keys, String api) throws BadBody {
        for (String k : keys) {
            if (k == null || k.isBlank()) {
                throw new BadBody(api + ": a key must not be blank");
            }
        }
        return keys;
    }

    private Response adestra(Request r, List<String> s) throws BadBody {
        if (s.size() < 2 || !s.get(1).equals("lists") || s.size() > 3) {
            return notFound(r);
        }
        if (s.size() == 2) {
            if (!r.method().equals("GET")) {
                return notAllowed(r);
            }
            List<Map<String, Object>> lists = new ArrayList<>();
            core.lists.sizes().forEach((id, n) -> lists.add(Map.<String, Object>of("list_id", id, "size", n)));
            return Response.json(200, Map.of("lists", lists));
        }
        long listId = number(s.get(2), "list_id", -1);
        switch (r.method()) {
            case "GET": {
                SortedSet<Long> contacts = core.lists.contacts(listId);
                if (contacts == null) {
                    return Response.error(404, "not_found", "list not found: " + listId);
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("list_id", listId);
                body.put("size", contacts.size());
                body.put("contacts", contacts);
                return Response.json(200, body);
            }
            case "PUT": {
                ListBody body = r.body().length == 0 ? null : strict(r.body(), ListBody.class);
                boolean created = body == null || body.contacts() == null
                        ? core.lists.create(listId)
                        : core.lists.put(listId, body.contacts());
                SortedSet<Long> contacts = core.lists.contacts(listId);
                return Response.json(created ? 201 : 200,
                        Map.of("list_id", listId, "size", contacts == null ? 0 : contacts.size()));
            }
            case "DELETE":
                return core.lists.delete(listId) ? Response.noContent()
                        : Response.error(404, "not_found", "list not found: " + listId);
            default:
                return notAllowed(r);
        }
    }

    private Response taxonomy(Request r, List<String> s) throws BadBody {
        if (s.size() < 2 || !s.get(1).equals("imports") || s.size() > 3) {
            return notFound(r);
        }
        if (s.size() == 2) {
            if (!r.method().equals("GET")) {
                return notAllowed(r);
            }
            List<Map<String, Object>> imports = new ArrayList<>();
            core.imports.all().forEach((id, imp) ->
                    imports.add(Map.<String, Object>of("import_id", id, "name", imp.name(), "size", imp.size())));
            return Response.json(200, Map.of("imports", imports));
        }
        String importId = s.get(2);
        switch (r.method()) {
            case "GET": {
                TaxonomyImport imp = core.imports.get(importId);
                if (imp == null) {
                    return Response.error(404, "not_found", "import not found: " + importId);
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("import_id", importId);
                body.put("name", imp.name());
                body.put("size", imp.size());
                body.put("segments", imp.segments());
                return Response.json(200, body);
            }
            case "PUT": {
                ImportBody body = r.body().length == 0 ? null : strict(r.body(), ImportBody.class);
                boolean created;
                if (body == null || body.segments() == null) {
                    created = core.imports.create(importId, body == null ? null : body.name());
                } else {
                    for (Segment seg : body.segments()) {
                        if (seg.code() == null || seg.code().isBlank() || seg.name() == null || seg.name().isBlank()) {
                            throw new BadBody("every segment needs a code and a name");
                        }
                    }
                    created = core.imports.put(importId, body.name(), body.segments());
                }
                TaxonomyImport imp = core.imports.get(importId);
                return Response.json(created ? 201 : 200,
                        Map.of("import_id", importId, "name", imp.name(), "size", imp.size()));
            }
            case "DELETE":
                return core.imports.delete(importId) ? Response.noContent()
                        : Response.error(404, "not_found", "import not found: " + importId);
            default:
                return notAllowed(r);
        }
    }

    private static boolean only(String method, String expected, List<String> s, int size) {
        return s.size() == size && method.equals(expected);
    }

    private static Response notFound(Request r) {
        return Response.error(404, "not_found", "no such sandbox endpoint: " + r.method() + " " + r.path());
    }

    private static Response notAllowed(Request r) {
        return Response.error(405, "method_not_allowed", r.method() + " is not allowed on " + r.path());
    }

    private static long number(String s, String name, long fallback) throws BadBody {
        if (s == null) {
            if (fallback < 0) {
                throw new BadBody(name + " is required");
            }
            return fallback;
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadBody(name + " must be a non-negative number, got '" + s + "'");
        }
    }

    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static <T> T strict(byte[] body, Class<T> type) throws BadBody {
        try {
            return STRICT.forType(type).readValue(body);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String msg = cause instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) cause).getOriginalMessage()
                    : cause.getMessage();
            throw new BadBody("invalid body: " + msg);
        }
    }

    /** A request body or parameter the admin API cannot use. */
    private static final class BadBody extends Exception {
        BadBody(String message) {
            super(message, null, false, false);
        }
    }
}

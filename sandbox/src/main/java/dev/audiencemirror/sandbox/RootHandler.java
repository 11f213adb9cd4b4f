package dev.audiencemirror.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.audiencemirror.sandbox.http.ConnectionDrop;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import java.io.IOException;
import java.util.List;

/** The one handler on "/": sends {@code /_sandbox/…} to the admin API and everything else to the destination APIs. */
final class RootHandler implements HttpHandler {

    private final SandboxCore core;
    private final AdminHandler admin;

    RootHandler(SandboxCore core) {
        this.core = core;
        this.admin = new AdminHandler(core);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request request = Request.read(exchange);
        if (request.path().equals("/_sandbox") || request.path().startsWith("/_sandbox/")) {
            Response r;
            try {
                r = admin.handle(request);
            } catch (RuntimeException e) {
                r = Response.error(500, "internal_error", "sandbox error: " + e);
            }
            r.send(exchange);
            return;
        }
        Endpoint endpoint = route(request);
        if (endpoint == Endpoint.OTHER) {
            Response r = unknown(request);
            core.log.append(request.method(), request.path(), endpoint.label(), r.status(), false, null, null);
            core.stats.request(endpoint, r.status());
            r.send(exchange);
            return;
        }
        ApiCall call = new ApiCall(core, exchange, request, endpoint);
        try {
            call.start();
        } catch (ConnectionDrop drop) {
            throw drop;
        } catch (RuntimeException e) {
            call.failed(e);
        }
    }

    /** Which endpoint a method and path are, or {@link Endpoint#OTHER}. */
    static Endpoint route(Request r) {
        List<String> s = r.segments();
        String m = r.method();
        if (s.size() == 4 && s.get(0).equals("contacts") && s.get(2).equals("lists")) {
            return m.equals("POST") ? Endpoint.ADESTRA_ADD : m.equals("DELETE") ? Endpoint.ADESTRA_REMOVE : Endpoint.OTHER;
        }
        if (s.size() == 2 && s.get(0).equals("lists")) {
            return m.equals("GET") ? Endpoint.ADESTRA_GET_LIST : Endpoint.OTHER;
        }
        if (s.size() == 2 && s.get(0).equals("imports")) {
            return m.equals("GET") ? Endpoint.TAXONOMY_GET_IMPORT : Endpoint.OTHER;
        }
        if (s.size() == 3 && s.get(0).equals("imports") && s.get(2).equals("segments")) {
            return m.equals("GET") ? Endpoint.TAXONOMY_LIST_SEGMENTS
                    : m.equals("PATCH") ? Endpoint.TAXONOMY_PATCH_SEGMENTS : Endpoint.OTHER;
        }
        return Endpoint.OTHER;
    }

    /** 405 for a known path with the wrong method, else 404. */
    private static Response unknown(Request r) {
        List<String> s = r.segments();
        if (s.size() == 4 && s.get(0).equals("contacts") && s.get(2).equals("lists")) {
            return Response.error(405, "method_not_allowed", r.method() + " is not allowed here; use POST or DELETE")
                    .withHeader("Allow", "POST, DELETE");
        }
        if (s.size() == 2 && (s.get(0).equals("imports") || s.get(0).equals("lists"))) {
            return Response.error(405, "method_not_allowed", r.method() + " is not allowed here; use GET")
                    .withHeader("Allow", "GET");
        }
        if (s.size() == 3 && s.get(0).equals("imports") && s.get(2).equals("segments")) {
            return Response.error(405, "method_not_allowed", r.method() + " is not allowed here; use GET or PATCH")
                    .withHeader("Allow", "GET, PATCH");
        }
        return Response.error(404, "not_found", "no such endpoint: " + r.method() + " " + r.path());
    }
}

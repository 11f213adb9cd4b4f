package dev.audiencemirror.sandbox;

import com.sun.net.httpserver.HttpExchange;
import dev.audiencemirror.sandbox.fault.FaultDecision;
import dev.audiencemirror.sandbox.http.ConnectionDrop;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import java.util.List;

/**
 * One destination API request from arrival to answer:
 * <ol>
 *   <li>arrival: count it in flight for its key; an Adestra key past its limit is answered 429 at once;</li>
 *   <li>fault decision, then the injected latency (on a timer, holding no thread); a held request
 *       also waits {@code hold_ms} there, out of the in-flight count;</li>
 *   <li>the API handles it; an effect is logged under the lock that orders it;</li>
 *   <li>it leaves the in-flight count just before its answer is written, then the answer goes out
 *       (or, for a slow answer, goes out {@code slow_ms} later).</li>
 * </ol>
 * A dropped connection is thrown on the handler's own thread so the JDK server closes it cleanly;
 * such requests therefore wait their latency on that thread.
 */
final class ApiCall implements EffectRecorder {

    private final SandboxCore core;
    private final HttpExchange exchange;
    private final Request request;
    private final Endpoint endpoint;
    private final long arrivedMs = System.currentTimeMillis();
    private String key;
    private FaultDecision fault;
    private boolean recorded;
    private boolean released = true;

    ApiCall(SandboxCore core, HttpExchange exchange, Request request, Endpoint endpoint) {
        this.core = core;
        this.exchange = exchange;
        this.request = request;
        this.endpoint = endpoint;
    }

    /** Runs on the server's handler thread. */
    void start() {
        key = core.validKey(endpoint, request);
        if (key != null) {
            released = false;
            int inFlight = core.concurrency.arrive(key);
            int limit = core.settings.adestraConcurrencyLimit();
            if (endpoint.api() == Endpoint.Api.ADESTRA && inFlight > limit) {
                fault = FaultDecision.none(core.faults.config().retryAfterSeconds());
                Response r = Response.error(429, "too_many_requests", "More than " + limit
                                + " concurrent requests for this API key; at most " + limit + " are allowed.")
                        .withHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()));
                log(429, "throttled: " + inFlight + " in flight", false, null);
                answer(r);
                return;
            }
        }
        fault = core.faults.decide(endpoint);
        if (fault.kind() == FaultDecision.Kind.DROP) {
            sleep(fault.latencyMs());
            drop();
        } else if (fault.kind() == FaultDecision.Kind.HOLD) {
            // Out of the count while held: the client's timeout fires and it closes the connection
            // long before the request takes effect (as for a slow answer), and a count kept for
            // seconds would throttle a client that respects the limit.
            release();
            core.later(fault.latencyMs() + fault.holdMs(), this::proceedGuarded);
        } else if (fault.latencyMs() > 0) {
            core.later(fault.latencyMs(), this::proceedGuarded);
        } else {
            proceed();
        }
    }

    private void proceedGuarded() {
        try {
            proceed();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void proceed() {
        if (fault.kind() == FaultDecision.Kind.STATUS && !fault.afterApply()) {
            log(fault.status(), fault.note(), false, null);
            answer(faultResponse());
            return;
        }
        Response r = core.handle(endpoint, request, key, this);
        if (fault.kind() == FaultDecision.Kind.STATUS) {
            r = faultResponse();
        }
        if (!recorded) {
            log(r.status(), fault.note(), false, null);
        }
        answer(r);
    }

    private void drop() {
        if (fault.afterApply()) {
            core.handle(endpoint, request, key, this);
        }
        if (!recorded) {
            log(0, fault.note(), false, null);
        }
        release();
        throw new ConnectionDrop();
    }

    /** Called by the API under its ordering lock when the request takes effect. */
    @Override
    public void record(int apiStatus, List<Integer> applyOrder, List<String> rows) {
        int status = apiStatus;
        if (fault.afterApply()) {
            status = fault.kind() == FaultDecision.Kind.DROP ? 0 : fault.status();
        }
        log(status, fault.note(), true, applyOrder, rows);
    }

    /** An unexpected error inside the sandbox: answer 500 rather than leave the client hanging. */
    void failed(RuntimeException e) {
        if (e instanceof ConnectionDrop) {
            throw e;
        }
        if (!recorded) {
            log(500, "sandbox error: " + e, false, null);
        }
        answer(Response.error(500, "internal_error", "sandbox error: " + e));
    }

    private void answer(Response r) {
        release();
        if (fault != null && fault.kind() == FaultDecision.Kind.SLOW) {
            core.later(fault.slowMs(), () -> r.send(exchange));
        } else {
            r.send(exchange);
        }
    }

    /** Leaves the in-flight count: always before a byte of the answer can reach the client. */
    private void release() {
        if (!released) {
            released = true;
            core.concurrency.depart(key);
        }
    }

    private void log(int status, String note, boolean applied, List<Integer> applyOrder) {
        log(status, note, applied, applyOrder, null);
    }

    private void log(int status, String note, boolean applied, List<Integer> applyOrder, List<String> rows) {
        recorded = true;
        core.log.append(request.method(), request.path(), endpoint.label(), status, applied, note, applyOrder,
                operationVersion(), arrivedMs, rows);
        core.stats.request(endpoint, status);
    }

    private Long operationVersion() {
        String v = request.header(LogEntry.VERSION_HEADER);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private Response faultResponse() {
        // A Taxonomy fault has the shape of that API's errors in its mode (the published envelope by default).
        Response r = endpoint.api() == Endpoint.Api.TAXONOMY ? core.taxonomy.faultAnswer(endpoint, fault.status())
                : Response.error(fault.status(), fault.status() == 429 ? "too_many_requests" : "injected_fault",
                "fault injected by the sandbox: " + fault.status());
        return fault.status() == 429 ? r.withHeader("Retry-After", Integer.toString(fault.retryAfterSeconds())) : r;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

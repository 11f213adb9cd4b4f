package dev.audiencemirror.sandbox.adestra;

import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import dev.audiencemirror.sandbox.inspect.RequestStats;
import java.util.List;

/**
 * {@code POST|DELETE /contacts/{contact_id}/lists/{list_id}} and {@code GET /lists/{list_id}}, with
 * {@code Authorization: <scheme> <key>}.
 * Both are idempotent on state and answer 204; lists are never created here. With
 * {@code deleteAbsent404}, a DELETE of a contact that is not on the list answers 404 instead
 * (Adestra does not document which of the two it answers). The valid keys can
 * be replaced while it runs ({@link #acceptKeys}), as an admin revokes and re-issues a key.
 */
public final class AdestraApi {

    private volatile List<String> keys;
    private final String scheme;
    private final AdestraLists lists;
    private final RequestStats stats;
    private final boolean deleteAbsent404;

    public AdestraApi(String key, String scheme, AdestraLists lists, RequestStats stats, boolean deleteAbsent404) {
        this.keys = List.of(key);
        this.scheme = scheme;
        this.lists = lists;
        this.stats = stats;
        this.deleteAbsent404 = deleteAbsent404;
    }

    /** From now on only these keys are valid (a request with another answers 401); the first is {@link #primaryKey()}. */
    public void acceptKeys(List<String> valid) {
        if (valid.isEmpty()) {
            throw new IllegalArgumentException("at least one Adestra key must be valid");
        }
        keys = List.copyOf(valid);
    }

    /** The first valid key. */
    public String primaryKey() {
        return keys.get(0);
    }

    /** The request's key if it is a valid one, else null. */
    public String validKey(Request request) {
        String auth = request.header("Authorization");
        if (auth == null) {
            return null;
        }
        for (String key : keys) {
            if (auth.length() == scheme.length() + 1 + key.length()
                    && auth.regionMatches(true, 0, scheme, 0, scheme.length())
                    && auth.charAt(scheme.length()) == ' '
                    && auth.endsWith(key)) {
                return key;
            }
        }
        return null;
    }

    /**
     * @param validKey the result of {@link #validKey}, null meaning the key is wrong or missing
     */
    public Response handle(Endpoint endpoint, Request request, String validKey, EffectRecorder recorder) {
        if (validKey == null) {
            return Response.error(401, "unauthorized", "The API key is invalid or missing: send 'Authorization: "
                    + scheme + " <key>' with a valid key.");
        }
        if (endpoint == Endpoint.ADESTRA_GET_LIST) {
            return getList(request);
        }
        Long contactId = numericId(request.segment(1));
        if (contactId == null) {
            return Response.error(400, "bad_request", "contact_id must be numeric, got '" + request.segment(1) + "'");
        }
        Long listId = numericId(request.segment(3));
        if (listId == null) {
            return Response.error(400, "bad_request", "list_id must be numeric, got '" + request.segment(3) + "'");
        }
        boolean add = endpoint == Endpoint.ADESTRA_ADD;
        boolean absent404 = !add && deleteAbsent404;
        // A 404 for an absent contact changes nothing and is not an effect: logged with its answer, unapplied.
        AdestraLists.Result result = lists.apply(listId, contactId, add, r -> {
            if (!(absent404 && r == AdestraLists.Result.UNCHANGED)) {
                recorder.record(204, null);
            }
        });
        switch (result) {
            case NO_LIST:
                return Response.error(404, "not_found", "list not found: " + listId);
            case UNCHANGED:
                if (absent404) {
                    return Response.error(404, "not_found", "contact " + contactId + " is not on list " + listId);
                }
                stats.applied(SandboxStats.ADESTRA_UNCHANGED);
                break;
            case ADDED:
                stats.applied(SandboxStats.ADESTRA_ADDED);
                break;
            case REMOVED:
                stats.applied(SandboxStats.ADESTRA_REMOVED);
                break;
        }
        return Response.noContent();
    }

    /** {@code GET /lists/{list_id}}: the list's id and size, 404 when it was never created. */
    private Response getList(Request request) {
        Long listId = numericId(request.segment(1));
        if (listId == null) {
            return Response.error(400, "bad_request", "list_id must be numeric, got '" + request.segment(1) + "'");
        }
        Integer size = lists.sizes().get(listId);
        if (size == null) {
            return Response.error(404, "not_found", "list not found: " + listId);
        }
        return Response.json(200, java.util.Map.of("id", listId, "contacts", size));
    }

    /** A positive decimal id that fits a long, else null. */
    static Long numericId(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }
}

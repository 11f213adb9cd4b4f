package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.DeadLetter;

/**
 * An error answer of the Taxonomy API, as Permutive's error page and OpenAPI document describe it:
 * a JSON envelope {@code {"request_id": "...", "error": {"status", "code", "message", "cause"?,
 * "docs"}}} for every non-2xx answer (the copy of the contract spells the id
 * {@code requestId}: both are read), except a request whose body or path does not parse, which is
 * a 400 with a {@code text/plain} body ("Invalid value for: body"). Neither names a row.
 *
 * @param type the error's subcode ({@code error.code}, e.g. {@code AlreadyExists}), or null
 * @param message the human-readable message, or the plain-text body
 * @param requestId what Permutive support asks for, or null
 */
record ApiError(String type, String message, String requestId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ApiError of(int status, String body) {
        String text = body == null ? "" : body.strip();
        JsonNode json = parse(text);
        if (json == null) {
            return new ApiError(null, text.isEmpty() ? "HTTP " + status : DeadLetter.truncate(text), null);
        }
        JsonNode error = json.path("error");
        String type = textOf(error, "code", textOf(error, "type", null));
        String message = textOf(error, "message", textOf(json, "message", null));
        String requestId = textOf(json, "request_id", textOf(json, "requestId", null));
        return new ApiError(type, message == null ? "HTTP " + status : message, requestId);
    }

    /** One line for logs and dead letters: {@code AlreadyExists: <message> (request <id>)}. */
    String describe() {
        return (type == null ? "" : type + ": ") + message + (requestId == null ? "" : " (request " + requestId + ")");
    }

    private static String textOf(JsonNode node, String field, String otherwise) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : otherwise;
    }

    private static JsonNode parse(String body) {
        if (body.isEmpty() || (body.charAt(0) != '{')) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (Exception notJson) {
            return null;
        }
    }
}

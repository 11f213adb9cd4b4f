package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.ResponseClass;
import dev.audiencemirror.connector.taxonomy.PendingSegments.RowError;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An answer to a PATCH batch, read on the HTTP client's thread so the task thread only decides.
 *
 * <ul>
 *   <li>2xx: the published contract answers {@code {"items":[…]}} only: every row was applied. A
 *       reading in which a 2xx also lists rows that failed on their own ({@code "errors":[{"index",
 *       "code","status","message"}…]}, Zeotap's "partially failed" batches) is kept working: those
 *       rows are in {@code rowErrors}, the others were applied.
 *   <li>anything else: one answer for the whole batch, nothing applied ({@link ApiError}: the JSON
 *       envelope, or a {@code text/plain} 400); an {@code index} in a JSON answer, if a server ever
 *       sends one, names the malformed row.
 *   <li>no answer: {@code failure} holds the timeout or I/O error.
 * </ul>
 *
 * @param status HTTP status, 0 when there was no answer
 * @param message the API's error (type, message, request id; or the failure), for dead letters and job failures
 * @param rowErrors rows that failed inside a 2xx answer
 * @param badIndex for a 400, the index of the row the API names as malformed, if any
 * @param retryAfter the {@code Retry-After} header, if any
 */
record BatchAnswer(int status, String message, List<RowError> rowErrors, Integer badIndex, Optional<String> retryAfter,
        Throwable failure) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static BatchAnswer of(HttpResponse<String> response, Throwable failure) {
        if (response == null) {
            return new BatchAnswer(0, ResponseClass.describeFailure(failure), List.of(), null, Optional.empty(), failure);
        }
        int status = response.statusCode();
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        String body = response.body() == null ? "" : response.body();
        JsonNode json = parse(body);
        if (status / 100 == 2) {
            return new BatchAnswer(status, "HTTP " + status, rowErrors(json), null, retryAfter, null);
        }
        String message = ApiError.of(status, body).describe();
        Integer badIndex = json != null && json.path("index").canConvertToInt() ? json.get("index").asInt() : null;
        return new BatchAnswer(status, message, List.of(), badIndex, retryAfter, null);
    }

    TaxonomyAnswerClass answerClass() {
        return TaxonomyAnswerClass.of(status, failure);
    }

    private static List<RowError> rowErrors(JsonNode json) {
        if (json == null || !json.path("errors").isArray()) {
            return List.of();
        }
        List<RowError> out = new ArrayList<>(json.get("errors").size());
        for (JsonNode e : json.get("errors")) {
            int index = e.path("index").canConvertToInt() ? e.get("index").asInt() : -1;
            String code = e.path("code").isTextual() ? e.get("code").asText() : null;
            int status = e.path("status").canConvertToInt() ? e.get("status").asInt() : 0;
            String message = e.path("message").isTextual() ? e.get("message").asText() : "row failed";
            out.add(new RowError(index, code, status, message));
        }
        return out;
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (Exception notJson) {
            return null;
        }
    }
}

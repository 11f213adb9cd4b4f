package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.ResponseClass;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One answer to {@code GET /imports/{id}/segments}, read on the HTTP client's thread. The published
 * page is {@code {"elements":[Segment…],"pagination":{"next_token","total_count"}}}, the last page
 * without a {@code next_token} (absent, null or empty); {@code items} is read where {@code elements}
 * is missing (an older reading of the same endpoint).
 *
 * @param status HTTP status, 0 when there was no answer
 * @param codes the segment codes on this page
 * @param nextToken the token of the next page; null on the last one
 * @param error for a non-2xx answer, what the API said
 */
record SegmentsPage(int status, List<String> codes, String nextToken, ApiError error, Optional<String> retryAfter,
        Throwable failure) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static SegmentsPage of(HttpResponse<String> response, Throwable failure) {
        if (response == null) {
            return new SegmentsPage(0, List.of(), null, new ApiError(null, ResponseClass.describeFailure(failure), null),
                    Optional.empty(), failure);
        }
        int status = response.statusCode();
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (status / 100 != 2) {
            return new SegmentsPage(status, List.of(), null, ApiError.of(status, response.body()), retryAfter, null);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body() == null ? "" : response.body());
        } catch (Exception e) {
            return new SegmentsPage(status, List.of(), null, new ApiError(null,
                    "the page of segments is not JSON: " + e.getMessage(), null), retryAfter, e);
        }
        JsonNode elements = json == null ? null : json.has("elements") ? json.get("elements") : json.get("items");
        if (elements == null || !elements.isArray()) {
            return new SegmentsPage(status, List.of(), null, new ApiError(null,
                    "the page of segments has no elements", null), retryAfter, new IllegalStateException("no elements"));
        }
        List<String> codes = new ArrayList<>(elements.size());
        elements.forEach(e -> {
            if (e.path("code").isTextual()) {
                codes.add(e.get("code").asText());
            }
        });
        JsonNode next = json.path("pagination").path("next_token");
        String token = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
        return new SegmentsPage(status, codes, token, null, retryAfter, null);
    }

    TaxonomyAnswerClass answerClass() {
        return failure != null && status / 100 == 2 ? TaxonomyAnswerClass.PERMANENT : TaxonomyAnswerClass.of(status, failure);
    }
}

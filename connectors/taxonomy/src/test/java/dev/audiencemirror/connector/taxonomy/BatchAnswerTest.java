package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.taxonomy.PendingSegments.RowError;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class BatchAnswerTest {

    private static HttpResponse<String> response(int status, String body, Map<String, List<String>> headers) {
        return new HttpResponse<>() {
            @Override public int statusCode() { return status; }
            @Override public HttpRequest request() { return HttpRequest.newBuilder(URI.create("http://x")).build(); }
            @Override public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
            @Override public HttpHeaders headers() { return HttpHeaders.of(headers, (a, b) -> true); }
            @Override public String body() { return body; }
            @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
            @Override public URI uri() { return URI.create("http://x"); }
            @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
        };
    }

    @Test
    void aPartlyFailedBatchListsItsFailedRows() {
        BatchAnswer a = BatchAnswer.of(response(200, """
                {"items":[{"code":"b","name":"B"}],
                 "errors":[{"index":0,"code":"a","status":409,"message":"segment code 'a' already exists"}]}""",
                Map.of()), null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.rowErrors()).containsExactly(new RowError(0, "a", 409, "segment code 'a' already exists"));
        assertThat(a.answerClass()).isEqualTo(TaxonomyAnswerClass.APPLIED);
    }

    @Test
    void aMalformedBatchNamesTheBadRow() {
        BatchAnswer a = BatchAnswer.of(response(400,
                "{\"error\":\"bad_request\",\"message\":\"operations[17].data.name: required\",\"index\":17,\"field\":\"data.name\"}",
                Map.of()), null);
        assertThat(a.badIndex()).isEqualTo(17);
        assertThat(a.message()).isEqualTo("operations[17].data.name: required");
        BatchAnswer whole = BatchAnswer.of(response(400, "{\"message\":\"too many\",\"index\":null}", Map.of()), null);
        assertThat(whole.badIndex()).isNull();
    }

    @Test
    void throttlingKeepsRetryAfterAndNoAnswerKeepsTheFailure() {
        BatchAnswer throttled = BatchAnswer.of(response(429, "<html>slow down</html>", Map.of("Retry-After", List.of("3"))), null);
        assertThat(throttled.retryAfter()).hasValue("3");
        assertThat(throttled.message()).isEqualTo("<html>slow down</html>");
        assertThat(throttled.answerClass()).isEqualTo(TaxonomyAnswerClass.RETRY);

        BatchAnswer timeout = BatchAnswer.of(null, new HttpTimeoutException("request timed out"));
        assertThat(timeout.status()).isZero();
        assertThat(timeout.message()).contains("HttpTimeoutException");
        assertThat(timeout.answerClass()).isEqualTo(TaxonomyAnswerClass.RETRY);
    }

    @Test
    void aWholeRequestErrorKeepsTheEnvelopesTypeMessageAndRequestId() {
        BatchAnswer conflict = BatchAnswer.of(response(409, """
                {"request_id":"e2cef6f6-296d-4044-b362-73fb2bce4a72","error":{"status":"Conflict","code":"AlreadyExists",
                 "message":"A segment with code 'a' already exists","docs":"https://docs.permutive.com/api/errors"}}""",
                Map.of()), null);
        assertThat(conflict.answerClass()).isEqualTo(TaxonomyAnswerClass.STALE_CODES);
        assertThat(conflict.rowErrors()).isEmpty();
        assertThat(conflict.message()).isEqualTo("AlreadyExists: A segment with code 'a' already exists"
                + " (request e2cef6f6-296d-4044-b362-73fb2bce4a72)");
        BatchAnswer camel = BatchAnswer.of(response(404,
                "{\"requestId\":\"r-1\",\"error\":{\"code\":\"DoesNotExist\",\"message\":\"no segment 'b'\"}}", Map.of()), null);
        assertThat(camel.message()).isEqualTo("DoesNotExist: no segment 'b' (request r-1)");
    }

    @Test
    void aPlainText400IsItsOwnMessageWithNoRow() {
        BatchAnswer bad = BatchAnswer.of(response(400, "Invalid value for: body", Map.of("Content-Type", List.of("text/plain"))), null);
        assertThat(bad.answerClass()).isEqualTo(TaxonomyAnswerClass.REJECTED_ROWS);
        assertThat(bad.message()).isEqualTo("Invalid value for: body");
        assertThat(bad.badIndex()).isNull();
    }
}

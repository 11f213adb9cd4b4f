package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.connector.common.testing.CollectingSink;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentBatchRequestConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaxonomySinkConfig config = TaxonomySink.builder()
            .baseUrl(URI.create("https://api.permutive.app/audience-api/v1/"))
            .apiKey(SecretRef.env("K"))
            .importId("imp 1/x")
            .deadLetterSink(new CollectingSink<>())
            .build()
            .config();

    @Test
    void writesCreateUpdateAndDeleteAsTheApiTakesThem() throws Exception {
        SegmentDefinition full = new SegmentDefinition("sports", "Sports", "Fans", 1.5, List.of("a", "b"));
        SegmentDefinition bare = new SegmentDefinition("news", "News", null, null, null);
        byte[] body = SegmentBatchRequestConverter.body(List.of(
                TaxonomyOperation.create(full, 1),
                TaxonomyOperation.create(bare, 2),
                TaxonomyOperation.update(bare, 3),
                TaxonomyOperation.delete("gone", 4)));

        JsonNode ops = JSON.readTree(body).get("operations");
        assertThat(ops).hasSize(4);
        assertThat(ops.get(0)).isEqualTo(JSON.readTree(
                "{\"operation\":\"Create\",\"data\":{\"code\":\"sports\",\"name\":\"Sports\",\"description\":\"Fans\",\"cpm\":1.5,\"categories\":[\"a\",\"b\"]}}"));
        assertThat(ops.get(1)).as("a Create leaves absent fields out")
                .isEqualTo(JSON.readTree("{\"operation\":\"Create\",\"data\":{\"code\":\"news\",\"name\":\"News\"}}"));
        assertThat(ops.get(2)).as("an Update sends absent fields as empty values (null is not documented to clear)")
                .isEqualTo(JSON.readTree("{\"operation\":\"Update\",\"code\":\"news\",\"data\":{\"name\":\"News\","
                        + "\"description\":\"\",\"cpm\":0.0,\"categories\":[]}}"));
        assertThat(ops.get(3)).isEqualTo(JSON.readTree("{\"operation\":\"Delete\",\"code\":\"gone\"}"));
    }

    @Test
    void requestsGoToTheImportWithTheKeyInAHeaderOnly() {
        SegmentBatchRequestConverter converter = new SegmentBatchRequestConverter(config);
        Secret key = Secret.of("k-123", "test");
        HttpRequest patch = converter.toRequest(List.of(TaxonomyOperation.delete("x", 1)), key);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.uri().toString()).isEqualTo("https://api.permutive.app/audience-api/v1/imports/imp%201%2Fx/segments");
        assertThat(patch.headers().firstValue("X-Api-Key")).hasValue("k-123");
        assertThat(patch.headers().firstValue("Content-Type")).hasValue("application/json");
        HttpRequest get = converter.readImport(key);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.uri().toString()).isEqualTo("https://api.permutive.app/audience-api/v1/imports/imp%201%2Fx");
    }

    @Test
    void aDeadLetterDescribesTheRowAsSentWithItsVersionAndNoKey() throws Exception {
        String d = SegmentBatchRequestConverter.describe(TaxonomyOperation.delete("gone", 9), "ede8970a-e828-5481-99ed-e3c07a3fc9f0");
        assertThat(JSON.readTree(d)).isEqualTo(JSON.readTree(
                "{\"import\":\"ede8970a-e828-5481-99ed-e3c07a3fc9f0\",\"version\":9,\"item\":{\"operation\":\"Delete\",\"code\":\"gone\"}}"));
        assertThat(SegmentBatchRequestConverter.key("ede8970a-e828-5481-99ed-e3c07a3fc9f0", "gone")).isEqualTo("import=ede8970a-e828-5481-99ed-e3c07a3fc9f0 code=gone");
    }
}

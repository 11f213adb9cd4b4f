package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a batch of segment operations into its request, {@code PATCH {base}/imports/{importId}/segments}
 * with body {@code {"operations":[...]}}:
 *
 * <ul>
 *   <li>Create: {@code {"operation":"Create","data":{"code","name","description"?,"cpm"?,"categories"?}}},
 *       absent optional fields left out;
 *   <li>Update: {@code {"operation":"Update","code":"…","data":{"name","description","cpm","categories"}}},
 *       every field present, so the segment ends equal to the definition (a field left out keeps its
 *       old value). The contract does not say that {@code null} clears a field, so an absent optional
 *       field is sent as its empty value: {@code ""}, {@code 0} for the CPM, {@code []}; the import
 *       then reads the same whether a field was never set or was removed (README, "Segment fields");
 *   <li>Delete: {@code {"operation":"Delete","code":"…"}}.
 * </ul>
 *
 * The import ID is encoded as a path segment; the key goes in the {@code X-Api-Key} header only.
 */
final class SegmentBatchRequestConverter {
    private static final JsonFactory JSON = new JsonFactory();

    private final TaxonomySinkConfig config;
    private final URI segmentsUri;

    SegmentBatchRequestConverter(TaxonomySinkConfig config) {
        this.config = config;
        this.segmentsUri = URI.create(config.baseUrl() + "/imports/" + segment(config.importId()) + "/segments");
    }

    /** @param key the key to send it with, the writer's current one */
    HttpRequest toRequest(List<TaxonomyOperation> ops, Secret key) {
        return patch(body(ops), key);
    }

    /** A PATCH with the given body. */
    HttpRequest patch(byte[] body, Secret key) {
        return HttpRequest.newBuilder(segmentsUri)
                .timeout(config.requestTimeout())
                .header(TaxonomySinkConfig.KEY_HEADER, key.reveal())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** {@code GET {base}/imports/{importId}}, for the preflight. */
    HttpRequest readImport(Secret key) {
        return HttpRequest.newBuilder(URI.create(config.baseUrl() + "/imports/" + segment(config.importId())))
                .timeout(config.requestTimeout())
                .header(TaxonomySinkConfig.KEY_HEADER, key.reveal())
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    /** {@code GET {base}/imports/{importId}/segments[?pagination_token=T]}: one page of the import's segments. */
    HttpRequest listSegments(String paginationToken, Secret key) {
        URI uri = paginationToken == null ? segmentsUri
                : URI.create(segmentsUri + "?pagination_token=" + URLEncoder.encode(paginationToken, StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header(TaxonomySinkConfig.KEY_HEADER, key.reveal())
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    static byte[] body(List<TaxonomyOperation> ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 160 * ops.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("operations");
            for (TaxonomyOperation op : ops) {
                writeItem(g, op);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a segment batch", e);
        }
        return out.toByteArray();
    }

    static void writeItem(JsonGenerator g, TaxonomyOperation op) throws IOException {
        g.writeStartObject();
        g.writeStringField("operation", op.action().apiName());
        switch (op.action()) {
            case CREATE -> {
                SegmentDefinition d = op.data();
                g.writeObjectFieldStart("data");
                g.writeStringField("code", d.code());
                g.writeStringField("name", d.name());
                if (d.description() != null) {
                    g.writeStringField("description", d.description());
                }
                if (d.cpm() != null) {
                    g.writeNumberField("cpm", d.cpm());
                }
                if (d.categories() != null) {
                    writeCategories(g, d.categories());
                }
                g.writeEndObject();
            }
            case UPDATE -> {
                SegmentDefinition d = op.data();
                g.writeStringField("code", op.code());
                g.writeObjectFieldStart("data");
                g.writeStringField("name", d.name());
                g.writeStringField("description", d.description() == null ? "" : d.description());
                g.writeNumberField("cpm", d.cpm() == null ? 0.0 : d.cpm());
                writeCategories(g, d.categories() == null ? List.of() : d.categories());
                g.writeEndObject();
            }
            case DELETE -> g.writeStringField("code", op.code());
        }
        g.writeEndObject();
    }

    private static void writeCategories(JsonGenerator g, List<String> categories) throws IOException {
        g.writeArrayFieldStart("categories");
        for (String c : categories) {
            g.writeString(c);
        }
        g.writeEndArray();
    }

    /** The operation as it would be sent, with its version and import, for a dead letter (no key in it). */
    static String describe(TaxonomyOperation op, String importId) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("import", importId);
            g.writeNumberField("version", op.version());
            g.writeFieldName("item");
            writeItem(g, op);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The dead letter's key: what the operation is about. */
    static String key(String importId, String code) {
        return "import=" + importId + " code=" + code;
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

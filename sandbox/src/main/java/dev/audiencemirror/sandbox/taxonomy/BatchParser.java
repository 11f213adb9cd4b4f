package dev.audiencemirror.sandbox.taxonomy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.sandbox.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Validates a {@code {"operations":[…]}} body completely before anything is applied: one malformed
 * row makes the whole batch a 400 naming the row and field, as the real API does.
 */
public final class BatchParser {

    /** The API's limit per request, stated as the API states it: the sandbox checks the connector against it. */
    public static final int MAX_OPERATIONS = 5000;

    private static final List<String> DATA_FIELDS = List.of("code", "name", "description", "cpm", "categories");

    private BatchParser() {}

    public static List<SegmentOperation> parse(byte[] body) throws MalformedBatchException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedBatchException(null, null, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedBatchException(null, null, "body is not readable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedBatchException(null, null, "body must be a JSON object {\"operations\":[...]}");
        }
        JsonNode ops = root.get("operations");
        if (ops == null || !ops.isArray()) {
            throw new MalformedBatchException(null, "operations", "operations: required, an array");
        }
        if (ops.size() > MAX_OPERATIONS) {
            throw new MalformedBatchException(null, "operations", "operations: at most " + MAX_OPERATIONS
                    + " operations per request, got " + ops.size());
        }
        List<SegmentOperation> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            out.add(row(i, ops.get(i)));
        }
        return out;
    }

    private static SegmentOperation row(int i, JsonNode item) throws MalformedBatchException {
        if (!item.isObject()) {
            throw bad(i, "", "must be an object");
        }
        JsonNode op = item.get("operation");
        if (op == null || !op.isTextual()) {
            throw bad(i, "operation", "required, one of Create, Update, Delete");
        }
        switch (op.asText()) {
            case "Create": {
                JsonNode data = object(i, item, "data");
                String code = text(i, data, "data.code", "code");
                String name = text(i, data, "data.name", "name");
                checkCodeUnchanged(i, item.get("code"), code, "code");
                knownFieldsOnly(i, data);
                Segment s = new Segment(code, name, optionalText(i, data, "description"),
                        optionalNumber(i, data, "cpm"), optionalStrings(i, data, "categories"));
                return new SegmentOperation(i, SegmentOperation.Kind.CREATE, code, s, null);
            }
            case "Update": {
                String code = text(i, item, "code", "code");
                JsonNode data = object(i, item, "data");
                checkCodeUnchanged(i, data.get("code"), code, "data.code");
                return new SegmentOperation(i, SegmentOperation.Kind.UPDATE, code, null, updater(i, data));
            }
            case "Delete": {
                String code = text(i, item, "code", "code");
                return new SegmentOperation(i, SegmentOperation.Kind.DELETE, code, null, null);
            }
            default:
                throw bad(i, "operation", "unknown operation '" + op.asText() + "', expected Create, Update or Delete");
        }
    }

    /** Fields present in {@code data} replace the stored ones; an explicit null clears an optional field. */
    private static UnaryOperator<Segment> updater(int i, JsonNode data)
            throws MalformedBatchException {
        boolean hasName = data.has("name");
        String name = hasName ? text(i, data, "data.name", "name") : null;
        boolean hasDescription = data.has("description");
        String description = optionalText(i, data, "description");
        boolean hasCpm = data.has("cpm");
        Double cpm = optionalNumber(i, data, "cpm");
        boolean hasCategories = data.has("categories");
        List<String> categories = optionalStrings(i, data, "categories");
        knownFieldsOnly(i, data);
        return old -> new Segment(old.code(),
                hasName ? name : old.name(),
                hasDescription ? description : old.description(),
                hasCpm ? cpm : old.cpm(),
                hasCategories ? categories : old.categories());
    }

    /** A misspelt field would otherwise be dropped silently; the client should hear about it. */
    private static void knownFieldsOnly(int i, JsonNode data) throws MalformedBatchException {
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            if (!DATA_FIELDS.contains(e.getKey())) {
                throw bad(i, "data." + e.getKey(), "unknown field, expected one of " + DATA_FIELDS);
            }
        }
    }

    private static void checkCodeUnchanged(int i, JsonNode other, String code, String field)
            throws MalformedBatchException {
        if (other != null && !other.isNull() && !code.equals(other.asText())) {
            throw bad(i, field, "does not match the segment's code '" + code + "' (codes cannot change)");
        }
    }

    private static JsonNode object(int i, JsonNode item, String field) throws MalformedBatchException {
        JsonNode n = item.get(field);
        if (n == null || !n.isObject()) {
            throw bad(i, field, "required, an object");
        }
        return n;
    }

    private static String text(int i, JsonNode node, String path, String field) throws MalformedBatchException {
        JsonNode n = node.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw bad(i, path, "required, a non-empty string");
        }
        return n.asText();
    }

    private static String optionalText(int i, JsonNode data, String field) throws MalformedBatchException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(i, "data." + field, "must be a string");
        }
        return n.asText();
    }

    private static Double optionalNumber(int i, JsonNode data, String field) throws MalformedBatchException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.asDouble() < 0) {
            throw bad(i, "data." + field, "must be a non-negative number");
        }
        return n.asDouble();
    }

    private static List<String> optionalStrings(int i, JsonNode data, String field) throws MalformedBatchException {
        JsonNode n = data.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw bad(i, "data." + field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw bad(i, "data." + field, "must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static MalformedBatchException bad(int i, String field, String problem) {
        String where = "operations[" + i + "]" + (field.isEmpty() ? "" : "." + field);
        return new MalformedBatchException(i, field.isEmpty() ? null : field, where + ": " + problem);
    }
}

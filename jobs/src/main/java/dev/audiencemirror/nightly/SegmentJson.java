package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.segment.SegmentDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Segment definitions as canonical JSON (fixed field order, absent fields left out), so that two
 * equal definitions compare equal as text in the diff, and as the snapshot stores them.
 */
final class SegmentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentJson() {}

    static String canonical(SegmentDefinition d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("code", d.code());
        n.put("name", d.name());
        if (d.description() != null) {
            n.put("description", d.description());
        }
        if (d.cpm() != null) {
            n.put("cpm", d.cpm());
        }
        if (d.categories() != null) {
            ArrayNode a = n.putArray("categories");
            d.categories().forEach(a::add);
        }
        return n.toString();
    }

    static SegmentDefinition definition(JsonNode n) {
        List<String> categories = null;
        if (n.hasNonNull("categories")) {
            categories = new ArrayList<>();
            for (JsonNode c : n.get("categories")) {
                categories.add(c.asText());
            }
        }
        return new SegmentDefinition(n.get("code").asText(), n.get("name").asText(),
                n.hasNonNull("description") ? n.get("description").asText() : null,
                n.hasNonNull("cpm") ? n.get("cpm").asDouble() : null, categories);
    }

    /** A snapshot line: {@code {"code":"…","def":{…}}}. */
    static String baselineLine(String code, String defJson) {
        ObjectNode n = JSON.createObjectNode();
        n.put("code", code);
        n.set("def", PlannedOperation.tree(defJson));
        return n.toString();
    }

    /** The two parts of a snapshot line: code and canonical definition. */
    static String[] parseBaselineLine(String line) {
        JsonNode n = PlannedOperation.tree(line);
        return new String[] {n.get("code").asText(), n.get("def").toString()};
    }
}

package dev.audiencemirror.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code flink:}, Flink configuration handed to Flink as given: the keys are Flink's. */
final class FlinkSection {
    static final String KEY = "flink";

    private FlinkSection() {}

    static Map<String, String> read(Fields root) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode node = root.value(KEY);
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            root.problem(KEY, "expected a mapping of Flink configuration keys, found " + Fields.kind(node));
            return out;
        }
        Fields options = root.mapping(KEY);
        for (Map.Entry<String, JsonNode> e : options.entries()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                options.problem(e.getKey(), "expected a single value, found " + Fields.kind(e.getValue()));
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}

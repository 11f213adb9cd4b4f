package dev.audiencemirror.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** {@code activations:}, cohort (Permutive segment ID) to Adestra list ID; the keys are the user's cohorts. */
final class ActivationsSection {
    static final String KEY = "activations";
    private static final Pattern LIST_ID = Pattern.compile("[0-9]{1,18}");

    private ActivationsSection() {}

    static SortedMap<String, Long> read(Fields root) {
        SortedMap<String, Long> out = new TreeMap<>();
        JsonNode node = root.value(KEY);
        if (node == null) {
            root.problem(KEY, "required: map each activated cohort to its Adestra list ID, e.g. \"1001\": 678");
            return out;
        }
        if (!node.isObject()) {
            root.problem(KEY, "expected a mapping of cohort to list ID, found " + Fields.kind(node));
            return out;
        }
        if (node.isEmpty()) {
            root.problem(KEY, "no cohort is activated; add at least one \"cohort\": listId");
        }
        Fields cohorts = root.mapping(KEY);
        for (Map.Entry<String, JsonNode> e : cohorts.entries()) {
            if (e.getKey().isBlank()) {
                root.problem(KEY, "a cohort ID is empty");
                continue;
            }
            JsonNode v = e.getValue();
            String text = v.isIntegralNumber() || v.isTextual() ? v.asText().strip() : null;
            if (text == null || !LIST_ID.matcher(text).matches() || Long.parseLong(text) == 0) {
                cohorts.problem(e.getKey(), "the Adestra list ID must be a positive whole number such as 678, found "
                        + (v.isNumber() ? v.asText() : Fields.describe(v)));
                continue;
            }
            out.put(e.getKey(), Long.parseLong(text));
        }
        return out;
    }
}

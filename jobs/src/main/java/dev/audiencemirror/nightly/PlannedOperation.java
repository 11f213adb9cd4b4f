package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * One line of a plan: what a run will send. The plan file of a dry run, the input of the push job
 * and the write-ahead record of a push ({@link PushJournal}) are all these lines, encoded and
 * decoded here only, so a dry run's plan is exactly what a real run sends and records.
 *
 * <ul>
 *   <li>{@code {"destination":"adestra","action":"ADD","contact_id":"123","list_id":678}}
 *   <li>{@code {"destination":"taxonomy","action":"CREATE","code":"sports","data":{...}}}
 * </ul>
 */
public sealed interface PlannedOperation {
    ObjectMapper JSON = new ObjectMapper();

    /** The line, as written to plan and journal files. */
    String encode();

    /** An Adestra list add or remove. */
    record ListOp(ListAction action, String contactId, long listId) implements PlannedOperation {
        @Override
        public String encode() {
            ObjectNode n = JSON.createObjectNode();
            n.put("destination", "adestra");
            n.put("action", action.name());
            n.put("contact_id", contactId);
            n.put("list_id", listId);
            return n.toString();
        }

        /** The snapshot's spelling of this pair, {@code contact,list}. */
        String pairKey() {
            return contactId + "," + listId;
        }

        ListOperation toOperation(long version) {
            return new ListOperation(contactId, listId, action, version, version);
        }
    }

    /** A Taxonomy segment Create, Update or Delete; {@code dataJson} is the canonical definition, null for Delete. */
    record SegmentOp(TaxonomyAction action, String code, String dataJson) implements PlannedOperation {
        @Override
        public String encode() {
            ObjectNode n = JSON.createObjectNode();
            n.put("destination", "taxonomy");
            n.put("action", action.name());
            n.put("code", code);
            if (dataJson != null) {
                n.set("data", tree(dataJson));
            }
            return n.toString();
        }

        TaxonomyOperation toOperation(long version) {
            return switch (action) {
                case CREATE -> TaxonomyOperation.create(SegmentJson.definition(tree(dataJson)), version);
                case UPDATE -> TaxonomyOperation.update(SegmentJson.definition(tree(dataJson)), version);
                case DELETE -> TaxonomyOperation.delete(code, version);
            };
        }
    }

    static PlannedOperation decode(String line) {
        JsonNode n = tree(line);
        String action = n.path("action").asText().toUpperCase(Locale.ROOT);
        return switch (n.path("destination").asText()) {
            case "adestra" -> new ListOp(ListAction.valueOf(action), n.get("contact_id").asText(), n.get("list_id").asLong());
            case "taxonomy" -> new SegmentOp(TaxonomyAction.valueOf(action), n.get("code").asText(),
                    n.hasNonNull("data") ? n.get("data").toString() : null);
            default -> throw new IllegalArgumentException("corrupt plan line (unknown destination): " + line);
        };
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt plan line: " + e.getMessage(), e);
        }
    }
}

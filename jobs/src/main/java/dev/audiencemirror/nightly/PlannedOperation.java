package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of the plan: what the run will send. The same JSON line is written to the plan file
 * by a dry run and read back by the push, so a dry run's plan is exactly what a real run sends.
 *
 * <ul>
 *   <li>{@code {"destination":"adestra","action":"ADD","contact_id":"123","list_id":678}}
 *   <li>{@code {"destination":"taxonomy","action":"CREATE","code":"sports","data":{...}}}
 * </ul>
 */
public final class PlannedOperation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlannedOperation() {}

    static String listOperation(String action, String contactId, long listId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("destination", "adestra");
        n.put("action", action);
        n.put("contact_id", contactId);
        n.put("list_id", listId);
        return n.toString();
    }

    static String segmentOperation(String action, String code, String dataJson) {
        ObjectNode n = JSON.createObjectNode();
        n.put("destination", "taxonomy");
        n.put("action", action);
        n.put("code", code);
        if (dataJson != null) {
            n.set("data", read(dataJson));
        }
        return n.toString();
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt plan line: " + e.getMessage(), e);
        }
    }
}

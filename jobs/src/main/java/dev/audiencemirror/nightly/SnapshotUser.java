package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A user as the snapshot remembers them: their contact ID and the lists they put it on. Only read
 * when a line about the user cannot be read on a later night: the run then holds exactly these
 * pairs instead of taking the bad line as "the user left". Line: {@code {"u":…,"c":…,"l":[…]}}.
 */
record SnapshotUser(String userId, String contactId, List<Long> lists) {

    String encode() {
        ObjectNode n = PlannedOperation.JSON.createObjectNode();
        n.put("u", userId);
        n.put("c", contactId);
        ArrayNode l = n.putArray("l");
        lists.forEach(l::add);
        return n.toString();
    }

    static SnapshotUser decode(String line) {
        JsonNode n = PlannedOperation.tree(line);
        List<Long> lists = new ArrayList<>();
        n.get("l").forEach(l -> lists.add(l.asLong()));
        return new SnapshotUser(n.get("u").asText(), n.get("c").asText(), lists);
    }

    static SnapshotUser of(String userId, String contactId, Collection<Long> lists) {
        return new SnapshotUser(userId, contactId, List.copyOf(new java.util.TreeSet<>(lists)));
    }
}

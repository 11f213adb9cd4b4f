package dev.audiencemirror.nightly;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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

    /** Written by hand, as Jackson writes it (a test holds the two equal): once per user on a list, every run. */
    String encode() {
        StringBuilder s = new StringBuilder(48 + userId.length() + contactId.length() + 6 * lists.size()).append("{\"u\":\"");
        JsonStringEncoder.getInstance().quoteAsString(userId, s);
        s.append("\",\"c\":\"");
        JsonStringEncoder.getInstance().quoteAsString(contactId, s);
        s.append("\",\"l\":[");
        for (int i = 0; i < lists.size(); i++) {
            s.append(i == 0 ? "" : ",").append(lists.get(i).longValue());
        }
        return s.append("]}").toString();
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

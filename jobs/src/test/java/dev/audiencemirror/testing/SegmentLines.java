package dev.audiencemirror.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.sandbox.taxonomy.Segment;

/** A segment definition as the jobs read it (a segments file's line, a segments topic's value): absent fields left out. */
public final class SegmentLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SegmentLines() {}

    public static String json(Segment s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("code", s.code());
        n.put("name", s.name());
        if (s.description() != null) {
            n.put("description", s.description());
        }
        if (s.cpm() != null) {
            n.put("cpm", s.cpm());
        }
        if (s.categories() != null) {
            s.categories().forEach(n.putArray("categories")::add);
        }
        return n.toString();
    }
}

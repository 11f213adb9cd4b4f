package dev.audiencemirror.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.parse.ParseError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * A rejected input record as one JSON line: {@code {"source","position","field","reason","raw"}},
 * {@code raw} being the record exactly as received, so it can be fixed and sent again.
 */
final class ParseErrorJsonEncoder implements Encoder<ParseError> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void encode(ParseError e, OutputStream stream) throws IOException {
        stream.write(toJson(e).getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
    }

    static String toJson(ParseError e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source", e.source());
        n.put("position", e.position());
        n.put("field", e.field());
        n.put("reason", e.reason());
        n.put("raw", e.raw());
        return n.toString();
    }
}

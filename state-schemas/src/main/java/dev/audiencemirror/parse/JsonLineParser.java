package dev.audiencemirror.parse;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** A {@link LineParser} for inputs that are one JSON object per line. */
public abstract class JsonLineParser<T> extends LineParser<T> {
    private static final long serialVersionUID = 1L;

    // Thread-safe and shared: building a reader per line would dominate the cost at 200k lines/s.
    // Duplicate keys and trailing garbage are rejected: either would make the line ambiguous.
    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    protected final ParseResult<T> parseText(String line) {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JacksonException e) {
            throw notJson(e);
        }
        return read(object(node));
    }

    @Override
    protected final ParseResult<T> parseBytes(byte[] line) {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JacksonException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new FieldException(ParseError.WHOLE_LINE, "could not be read: " + e.getMessage());
        }
        return read(object(node));
    }

    /**
     * Reads the line's object: returns {@link ParseResult#ok} or {@link ParseResult#ignored}, and
     * throws {@link FieldException} for a bad field (see {@link JsonFields}).
     */
    protected abstract ParseResult<T> read(ObjectNode json);

    /** The text of top-level field {@code field} of a line that may be broken elsewhere, if it has one. */
    public static java.util.Optional<String> textField(String line, String field) {
        try {
            JsonNode n = READER.readTree(line);
            JsonNode v = n == null ? null : n.get(field);
            return v != null && v.isTextual() && !v.asText().isBlank() ? java.util.Optional.of(v.asText()) : java.util.Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Parses a line as one JSON object, for parsers that accept other formats too; throws
     * {@link FieldException} on {@code $} when it is not one.
     */
    public static ObjectNode readObject(String line) {
        try {
            return object(READER.readTree(line));
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    private static ObjectNode object(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new FieldException(ParseError.WHOLE_LINE, "not valid JSON: no content");
        }
        if (!node.isObject()) {
            throw new FieldException(ParseError.WHOLE_LINE, "must be a JSON object, got " + JsonFields.describe(node));
        }
        return (ObjectNode) node;
    }

    private static FieldException notJson(JacksonException e) {
        String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        // Jackson's messages can run to several lines; the first says what went wrong.
        int nl = detail == null ? -1 : detail.indexOf('\n');
        if (nl >= 0) {
            detail = detail.substring(0, nl);
        }
        String where = e.getLocation() == null || e.getLocation().getColumnNr() < 0
                ? ""
                : " at column " + e.getLocation().getColumnNr();
        return new FieldException(ParseError.WHOLE_LINE, "not valid JSON: " + detail + where);
    }
}

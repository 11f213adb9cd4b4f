package dev.audiencemirror.segment;

import static dev.audiencemirror.parse.JsonFields.optionalArray;
import static dev.audiencemirror.parse.JsonFields.optionalNonNegativeNumber;
import static dev.audiencemirror.parse.JsonFields.optionalString;
import static dev.audiencemirror.parse.JsonFields.requiredString;
import static dev.audiencemirror.parse.JsonFields.stringAt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.parse.FieldException;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.parse.ParseResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses segment definition lines (schema {@code schemas/segment.schema.json}):
 * {@code {"code": "sports", "name": "Sports fans", "description": "…", "cpm": 1.5, "categories": ["…"]}}.
 * Optional fields may be absent or {@code null}. Without a {@code code}, the code is derived from
 * the name ({@link SegmentCodes}); a name that gives none is rejected on {@code code}.
 */
public final class SegmentParser extends JsonLineParser<SegmentDefinition> {
    private static final long serialVersionUID = 1L;

    /** The {@code code} of a rejected line, when the line is JSON and has one. */
    @Override
    public java.util.Optional<String> subjectOf(String line) {
        return textField(line, "code");
    }

    @Override
    protected ParseResult<SegmentDefinition> read(ObjectNode json) {
        String name = requiredString(json, "", "name");
        String code = optionalString(json, "", "code");
        if (code == null) {
            code = SegmentCodes.fromName(name);
            if (code.isEmpty()) {
                throw new FieldException("code", "is missing, and the name \"" + name
                        + "\" gives none (no letter or digit a-z, 0-9): give the segment a code");
            }
        }
        String description = optionalString(json, "", "description");
        Double cpm = optionalNonNegativeNumber(json, "", "cpm");
        ArrayNode array = optionalArray(json, "", "categories");
        List<String> categories = null;
        if (array != null) {
            categories = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                categories.add(stringAt(array, "categories", i));
            }
        }
        return ParseResult.ok(new SegmentDefinition(code, name, description, cpm, categories));
    }
}

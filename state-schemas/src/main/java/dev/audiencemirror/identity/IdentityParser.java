package dev.audiencemirror.identity;

import static dev.audiencemirror.parse.JsonFields.objectAt;
import static dev.audiencemirror.parse.JsonFields.path;
import static dev.audiencemirror.parse.JsonFields.requiredArray;
import static dev.audiencemirror.parse.JsonFields.requiredInstant;
import static dev.audiencemirror.parse.JsonFields.requiredInt;
import static dev.audiencemirror.parse.JsonFields.requiredString;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.parse.FieldException;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.parse.ParseResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses identity lines (schema {@code schemas/identity.schema.json}):
 * {@code {"user_id": "u1", "aliases": [{"tag": "adestra", "id": "4711", "priority": 0}], "time": "…"}}.
 * Aliases under the configured contact alias tag must carry a numeric Adestra Contact ID: a bad
 * one is rejected here rather than failing at the destination later.
 */
public final class IdentityParser extends JsonLineParser<IdentityRecord> {
    private static final long serialVersionUID = 1L;

    private final String contactAliasTag;

    /** @param contactAliasTag the alias tag whose IDs are Adestra Contact IDs, e.g. {@code adestra} */
    public IdentityParser(String contactAliasTag) {
        this.contactAliasTag = Objects.requireNonNull(contactAliasTag, "contactAliasTag");
    }

    public String contactAliasTag() {
        return contactAliasTag;
    }

    /** The {@code user_id} of a rejected line, when the line is JSON and has one. */
    @Override
    public java.util.Optional<String> subjectOf(String line) {
        return textField(line, "user_id");
    }

    @Override
    protected ParseResult<IdentityRecord> read(ObjectNode json) {
        return ParseResult.ok(record(json));
    }

    /**
     * Reads one identity object found inside another record (the nightly run's membership
     * assertions carry one); throws {@link FieldException} naming the bad field, relative to the object.
     */
    public IdentityRecord record(ObjectNode json) {
        String userId = requiredString(json, "", "user_id");
        ArrayNode array = requiredArray(json, "", "aliases");
        List<Alias> aliases = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = path("aliases", i);
            ObjectNode a = objectAt(array, "aliases", i);
            String tag = requiredString(a, at, "tag");
            String id = requiredString(a, at, "id");
            int priority = requiredInt(a, at, "priority");
            if (tag.equals(contactAliasTag)) {
                String problem = ContactIds.problem(id);
                if (problem != null) {
                    throw new FieldException(path(at, "id"), problem + " (alias tag \"" + tag + "\")");
                }
            }
            aliases.add(new Alias(tag, id, priority));
        }
        Instant time = requiredInstant(json, "", "time");
        return new IdentityRecord(userId, aliases, time);
    }
}

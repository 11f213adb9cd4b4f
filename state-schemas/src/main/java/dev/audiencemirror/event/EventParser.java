package dev.audiencemirror.event;

import static dev.audiencemirror.parse.JsonFields.optionalObject;
import static dev.audiencemirror.parse.JsonFields.path;
import static dev.audiencemirror.parse.JsonFields.requiredIdText;
import static dev.audiencemirror.parse.JsonFields.requiredInstant;
import static dev.audiencemirror.parse.JsonFields.requiredObject;
import static dev.audiencemirror.parse.JsonFields.requiredString;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.identity.ContactIds;
import dev.audiencemirror.parse.FieldException;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.parse.ParseResult;
import java.time.Instant;
import java.util.Objects;

/**
 * Parses event lines (schema {@code schemas/event.schema.json}) into {@link MembershipEvent}s.
 * Events other than {@value #ENTRY} and {@value #EXIT} are {@link ParseResult.Ignored}: the
 * stream carries every Permutive event and only membership changes concern us, so the rest are
 * counted, not checked further and not reported as errors.
 */
public final class EventParser extends JsonLineParser<MembershipEvent> {
    private static final long serialVersionUID = 1L;

    public static final String ENTRY = "SegmentEntry";
    public static final String EXIT = "SegmentExit";

    private final String contactAliasTag;

    /**
     * @param contactAliasTag the alias tag whose IDs are Adestra Contact IDs: an event naming its
     *     user by that alias must give a numeric ID
     */
    public EventParser(String contactAliasTag) {
        this.contactAliasTag = Objects.requireNonNull(contactAliasTag, "contactAliasTag");
    }

    public String contactAliasTag() {
        return contactAliasTag;
    }

    @Override
    protected ParseResult<MembershipEvent> read(ObjectNode json) {
        String name = requiredString(json, "", "name");
        boolean entry;
        if (ENTRY.equals(name)) {
            entry = true;
        } else if (EXIT.equals(name)) {
            entry = false;
        } else {
            return ParseResult.ignored("event name \"" + shorten(name) + "\" is not " + ENTRY + " or " + EXIT);
        }

        boolean hasUser = json.hasNonNull("user_id");
        ObjectNode alias = optionalObject(json, "", "alias");
        if (hasUser && alias != null) {
            throw new FieldException("user_id", "give either user_id or alias, not both");
        }
        if (!hasUser && alias == null) {
            throw new FieldException("user_id", "required field is missing (give user_id or alias {tag, id})");
        }

        String segmentId = requiredIdText(requiredObject(json, "", "properties"), "properties", "segment_id");
        Instant time = requiredInstant(json, "", "time");
        if (hasUser) {
            return ParseResult.ok(MembershipEvent.forUser(requiredString(json, "", "user_id"), segmentId, entry, time));
        }
        String tag = requiredString(alias, "alias", "tag");
        String id = requiredString(alias, "alias", "id");
        if (tag.equals(contactAliasTag)) {
            String problem = ContactIds.problem(id);
            if (problem != null) {
                throw new FieldException(path("alias", "id"), problem + " (alias tag \"" + tag + "\")");
            }
        }
        return ParseResult.ok(MembershipEvent.forAlias(tag, id, segmentId, entry, time));
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}

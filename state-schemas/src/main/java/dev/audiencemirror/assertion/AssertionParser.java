package dev.audiencemirror.assertion;

import static dev.audiencemirror.parse.JsonFields.optionalObject;
import static dev.audiencemirror.parse.JsonFields.path;
import static dev.audiencemirror.parse.JsonFields.requiredInstant;
import static dev.audiencemirror.parse.JsonFields.requiredObject;
import static dev.audiencemirror.parse.JsonFields.requiredString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.parse.FieldException;
import dev.audiencemirror.parse.JsonFields;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.parse.ParseResult;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Parses membership assertion lines (schema {@code schemas/assertion.schema.json}), as the nightly
 * run writes them for the streaming job: {@code {"user_id": "u1", "as_of": "…", "cohorts": {"1001":
 * true}, "identity": {…identity record…}}}.
 */
public final class AssertionParser extends JsonLineParser<MembershipAssertion> {
    private static final long serialVersionUID = 1L;

    private final IdentityParser identities;

    /** @param contactAliasTag as for {@link IdentityParser}: the identity's contact alias must be numeric */
    public AssertionParser(String contactAliasTag) {
        this.identities = new IdentityParser(contactAliasTag);
    }

    @Override
    public Optional<String> subjectOf(String line) {
        return textField(line, "user_id");
    }

    @Override
    protected ParseResult<MembershipAssertion> read(ObjectNode json) {
        String userId = requiredString(json, "", "user_id");
        Instant asOf = requiredInstant(json, "", "as_of");
        ObjectNode cohorts = requiredObject(json, "", "cohorts");
        if (cohorts.isEmpty()) {
            throw new FieldException("cohorts", "must name at least one cohort");
        }
        Map<String, Boolean> in = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cohorts.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().isBlank()) {
                throw new FieldException("cohorts", "a cohort ID is empty");
            }
            if (!e.getValue().isBoolean()) {
                throw new FieldException(path("cohorts", e.getKey()),
                        "must be true (in the cohort) or false (not in it), got " + JsonFields.describe(e.getValue()));
            }
            in.put(e.getKey(), e.getValue().booleanValue());
        }
        ObjectNode identityNode = optionalObject(json, "", "identity");
        Optional<IdentityRecord> identity = Optional.empty();
        if (identityNode != null) {
            IdentityRecord r;
            try {
                r = identities.record(identityNode);
            } catch (FieldException e) {
                throw new FieldException(path("identity", e.field()), e.reason());
            }
            if (!r.userId().equals(userId)) {
                throw new FieldException("identity.user_id", "must be the assertion's user_id \"" + userId + "\"");
            }
            identity = Optional.of(r);
        }
        return ParseResult.ok(new MembershipAssertion(userId, asOf, new TreeMap<>(in), identity));
    }
}

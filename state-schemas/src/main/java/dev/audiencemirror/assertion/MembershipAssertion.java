package dev.audiencemirror.assertion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.identity.Alias;
import dev.audiencemirror.identity.IdentityRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a nightly export says about one user as of its as-of time, handed to the streaming job for
 * the lists it writes (schema {@code schemas/assertion.schema.json}): for each cohort named, whether
 * the user is in it, stamped with the export's as-of time as if it were an event of that time; and,
 * when the export has one, the user's identity record with its own time. The streaming job applies
 * both by its event-time rule, so whichever of the export and its own events is about the later
 * time wins.
 *
 * @param cohorts every cohort the assertion speaks for, true = the user is in it
 * @param identity the export's identity record of the user, if it has one
 */
public record MembershipAssertion(String userId, Instant asOf, SortedMap<String, Boolean> cohorts,
        Optional<IdentityRecord> identity) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public MembershipAssertion {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(asOf, "asOf");
        cohorts = new TreeMap<>(cohorts);
        Objects.requireNonNull(identity, "identity");
        identity.ifPresent(i -> {
            if (!i.userId().equals(userId)) {
                throw new IllegalArgumentException("identity of " + i.userId() + " in an assertion about " + userId);
            }
        });
    }

    /** The identity record for a user whose contact ID under {@code aliasTag} is {@code contactId} (null: none) as of {@code time}. */
    public static IdentityRecord identity(String userId, String aliasTag, String contactId, Instant time) {
        return new IdentityRecord(userId, contactId == null ? List.of() : List.of(new Alias(aliasTag, contactId, 0)),
                time);
    }

    /** One JSON line, as {@link AssertionParser} reads it. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", userId);
        n.put("as_of", asOf.toString());
        ObjectNode c = n.putObject("cohorts");
        for (Map.Entry<String, Boolean> e : cohorts.entrySet()) {
            c.put(e.getKey(), e.getValue());
        }
        identity.ifPresent(i -> {
            ObjectNode id = n.putObject("identity");
            id.put("user_id", i.userId());
            ArrayNode aliases = id.putArray("aliases");
            for (Alias a : i.aliases()) {
                aliases.addObject().put("tag", a.tag()).put("id", a.id()).put("priority", a.priority());
            }
            id.put("time", i.time().toString());
        });
        return n.toString();
    }
}

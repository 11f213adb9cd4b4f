package dev.audiencemirror.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A Permutive user and their aliases as of {@code time}; the latest record for a user wins. */
@TypeInfo(IdentityRecordTypeInfoFactory.class)
public record IdentityRecord(String userId, List<Alias> aliases, Instant time) {
    public IdentityRecord {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(time, "time");
        aliases = List.copyOf(aliases);
    }

    /**
     * The ID under {@code aliasTag} with the best (lowest) priority; on a tie the first listed,
     * so the answer does not depend on anything but the record.
     */
    public Optional<String> contactIdFor(String aliasTag) {
        Alias best = null;
        for (Alias a : aliases) {
            if (a.tag().equals(aliasTag) && (best == null || a.priority() < best.priority())) {
                best = a;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.id());
    }
}

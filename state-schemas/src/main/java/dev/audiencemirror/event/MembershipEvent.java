package dev.audiencemirror.event;

import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A user entering ({@code SegmentEntry}) or leaving ({@code SegmentExit}) a cohort. The user is
 * named either by Permutive user ID or by an alias, as Permutive's CCS API accepts: exactly one
 * of {@code userId} and ({@code aliasTag}, {@code aliasId}) is set (the parser guarantees it).
 *
 * @param segmentId the cohort ID, as text whether the producer wrote a number or a string
 * @param entry {@code true} for SegmentEntry, {@code false} for SegmentExit
 */
@TypeInfo(MembershipEventTypeInfoFactory.class)
public record MembershipEvent(
        String userId, String aliasTag, String aliasId, String segmentId, boolean entry, Instant time) {

    public MembershipEvent {
        Objects.requireNonNull(segmentId, "segmentId");
        Objects.requireNonNull(time, "time");
    }

    public static MembershipEvent forUser(String userId, String segmentId, boolean entry, Instant time) {
        return new MembershipEvent(Objects.requireNonNull(userId, "userId"), null, null, segmentId, entry, time);
    }

    public static MembershipEvent forAlias(
            String aliasTag, String aliasId, String segmentId, boolean entry, Instant time) {
        return new MembershipEvent(null, Objects.requireNonNull(aliasTag, "aliasTag"),
                Objects.requireNonNull(aliasId, "aliasId"), segmentId, entry, time);
    }

    /** The user is named by an alias rather than a Permutive user ID. */
    public boolean byAlias() {
        return userId == null;
    }
}

package dev.audiencemirror.membership;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One row of a membership snapshot for the nightly run: user {@code userId} is in {@code cohort}.
 * Usable as a Flink key: its hash code is spelled out so it cannot change with the JDK.
 */
@TypeInfo(MembershipRowTypeInfoFactory.class)
public record MembershipRow(String userId, String cohort) {
    public MembershipRow {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(cohort, "cohort");
    }

    @Override
    public int hashCode() {
        return 31 * userId.hashCode() + cohort.hashCode();
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which records the memberships' consecutive merge joins, and what it keeps. */
class UserInputTest {

    @Test
    void membershipsOfOneUserMergeWithAllTheirLists() {
        UserInput merged = UserInput.mergeMemberships(UserInput.memberships("u1", new long[] {678, 679}), UserInput.membership("u1", 678));
        assertThat(merged).isEqualTo(UserInput.memberships("u1", new long[] {678, 679, 678}));
    }

    @Test
    void otherUsersAndOtherKindsDoNotMerge() {
        UserInput m = UserInput.membership("u1", 678);
        assertThat(UserInput.mergeMemberships(m, UserInput.membership("u2", 678))).isNull();
        assertThat(UserInput.mergeMemberships(m, UserInput.held("u1", UserInput.HELD_MEMBERSHIP))).isNull();
        assertThat(UserInput.mergeMemberships(UserInput.cohort("u1", "c1"), m)).isNull();
        assertThat(UserInput.mergeMemberships(m, UserInput.identity("u1", "4711", Instant.EPOCH, "ids.jsonl", 1))).isNull();
    }
}

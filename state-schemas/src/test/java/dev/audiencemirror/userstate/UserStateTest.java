package dev.audiencemirror.userstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserStateTest {
    private static final Instant T = Instant.parse("2026-11-27T05:00:00Z");

    @Test
    void aMarkIsReplacedOnlyByAStrictlyNewerEvent() {
        CohortMark mark = new CohortMark(true, T);
        assertThat(mark.isOlderThan(T.plusNanos(1))).isTrue();
        assertThat(mark.isOlderThan(T)).as("a tie keeps the mark held").isFalse();
        assertThat(mark.isOlderThan(T.minusMillis(1))).isFalse();
    }

    @Test
    void changesMakeNewValuesAndLeaveTheOldOneAlone() {
        UserState s = UserState.EMPTY.withCohort("1001", new CohortMark(true, T));
        UserState t = s.withCohort("1002", new CohortMark(false, T)).withIdentity("4711", T, "ids.jsonl", 3).activeAt(5).withExpiryTimer(9);

        assertThat(UserState.EMPTY.cohorts()).isEmpty();
        assertThat(s.cohorts()).containsOnlyKeys("1001");
        assertThat(t.isIn("1001")).isTrue();
        assertThat(t.isIn("1002")).isFalse();
        assertThat(t.isIn("1003")).isFalse();
        assertThat(t).isEqualTo(new UserState("4711", T, "ids.jsonl", 3, t.cohorts(), 5, 9));
        assertThatThrownBy(() -> t.cohorts().put("x", new CohortMark(true, T)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anIdentityIsReplacedByANewerOneOrOnATieByTheOneLaterInItsInput() {
        UserState s = UserState.EMPTY.withIdentity("4711", T, "ids-2.jsonl", 10);
        assertThat(UserState.EMPTY.identityIsOlderThan(T, "any", 1)).as("nothing held yet").isTrue();
        assertThat(s.identityIsOlderThan(T.plusNanos(1), "ids-1.jsonl", 1)).isTrue();
        assertThat(s.identityIsOlderThan(T.minusNanos(1), "ids-3.jsonl", 99)).isFalse();
        assertThat(s.identityIsOlderThan(T, "ids-2.jsonl", 11)).as("same time, later line").isTrue();
        assertThat(s.identityIsOlderThan(T, "ids-2.jsonl", 10)).as("the same record again").isFalse();
        assertThat(s.identityIsOlderThan(T, "ids-2.jsonl", 9)).as("same time, earlier line").isFalse();
        assertThat(s.identityIsOlderThan(T, "ids-3.jsonl", 1)).as("same time, a later file").isTrue();
        assertThat(s.identityIsOlderThan(T, "ids-1.jsonl", 99)).isFalse();
        UserState fromV1 = new UserState("4711", T, null, 0, s.cohorts(), 0, 0);
        assertThat(fromV1.identityIsOlderThan(T, "ids-1.jsonl", 1)).as("held without a position").isTrue();
    }
}

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
        UserState t = s.withCohort("1002", new CohortMark(false, T)).withContact("4711", T).activeAt(5).withExpiryTimer(9);

        assertThat(UserState.EMPTY.cohorts()).isEmpty();
        assertThat(s.cohorts()).containsOnlyKeys("1001");
        assertThat(t.isIn("1001")).isTrue();
        assertThat(t.isIn("1002")).isFalse();
        assertThat(t.isIn("1003")).isFalse();
        assertThat(t).isEqualTo(new UserState("4711", T, t.cohorts(), 5, 9));
        assertThatThrownBy(() -> t.cohorts().put("x", new CohortMark(true, T)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}

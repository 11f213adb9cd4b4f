package dev.audiencemirror.connector.adestra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.adestra.ListChecks.Known;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a removal answered 404 becomes, per list, before and after the list's check. */
class ListChecksTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final ListChecks<String> checks = new ListChecks<>();

    @Test
    void aListNeverCheckedIsUnknownAndItsFirst404AsksForOneCheck() {
        assertThat(checks.known(678, 0)).isEqualTo(Known.UNKNOWN);
        checks.await(678, "remove 1");
        assertThat(checks.nextCheck()).isEqualTo(678L);
        assertThat(checks.nextCheck()).as("one check per list").isNull();
    }

    @Test
    void removalsOfOneListWaitForTheSameCheckAndAllLearnItsAnswer() {
        checks.await(678, "remove 1");
        assertThat(checks.nextCheck()).isEqualTo(678L);
        checks.await(678, "remove 2"); // met a 404 while the check was in flight
        checks.await(679, "remove 3");
        assertThat(checks.nextCheck()).as("another list has its own check").isEqualTo(679L);
        assertThat(checks.nextCheck()).isNull();
        assertThat(checks.waitingCount()).isEqualTo(3);

        assertThat(checks.answered(678, true, 10)).containsExactly("remove 1", "remove 2");
        assertThat(checks.waitingCount()).isEqualTo(1);
        assertThat(checks.answered(679, false, 10)).containsExactly("remove 3");
        assertThat(checks.waitingCount()).isZero();
    }

    @Test
    void anExistingListsAnswerIsRememberedForOneMinute() {
        checks.await(678, "remove 1");
        checks.nextCheck();
        checks.answered(678, true, 1_000);

        assertThat(checks.known(678, 1_000 + MINUTE - 1)).isEqualTo(Known.EXISTS);
        assertThat(checks.known(678, 1_000 + MINUTE)).as("a minute later it is checked again").isEqualTo(Known.UNKNOWN);
        checks.await(678, "remove 2");
        assertThat(checks.nextCheck()).isEqualTo(678L);
    }

    @Test
    void aMissingListsAnswerIsRememberedTooSoItsRemovalsFailWithoutMoreChecks() {
        checks.await(999, "remove 1");
        checks.nextCheck();
        checks.answered(999, false, 0);
        assertThat(checks.known(999, MINUTE / 2)).isEqualTo(Known.MISSING);
        assertThat(checks.known(678, MINUTE / 2)).as("other lists are not affected").isEqualTo(Known.UNKNOWN);
    }

    @Test
    void aCheckWithoutAUsableAnswerRemembersNothingAndHandsItsRemovalsBack() {
        checks.await(678, "remove 1");
        checks.await(678, "remove 2");
        checks.nextCheck();
        assertThat(checks.unanswered(678)).containsExactly("remove 1", "remove 2");
        assertThat(checks.known(678, 0)).isEqualTo(Known.UNKNOWN);

        // The retried removal meets a 404 again: a new check is asked for.
        checks.await(678, "remove 1");
        assertThat(checks.nextCheck()).isEqualTo(678L);
    }

    @Test
    void anAnswerForAListNobodyWaitsForReleasesNothing() {
        assertThat(checks.answered(680, true, 0)).isEmpty();
        assertThat(checks.unanswered(681)).isEmpty();
        assertThat(checks.known(680, 0)).isEqualTo(Known.EXISTS);
    }
}

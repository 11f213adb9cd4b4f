package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrencyBudgetTest {

    @Test
    void sharesNeverExceedTheAccountLimitAndNoneIsZero() {
        for (int total = 1; total <= 10; total++) {
            for (int p = 1; p <= total; p++) {
                int t = total, par = p;
                int[] shares = IntStream.range(0, p).map(i -> ConcurrencyBudget.forSubtask(t, par, i)).toArray();
                assertThat(IntStream.of(shares).sum()).as("total %d over %d subtasks", t, par).isEqualTo(total);
                assertThat(IntStream.of(shares).min().orElseThrow()).isPositive();
            }
        }
        assertThat(ConcurrencyBudget.forSubtask(10, 3, 0)).isEqualTo(4);
        assertThat(ConcurrencyBudget.forSubtask(10, 3, 2)).isEqualTo(3);
    }

    @Test
    void moreSubtasksThanTheLimitIsRefusedWithAdvice() {
        assertThatThrownBy(() -> ConcurrencyBudget.check(10, 12))
                .hasMessageContaining("parallelism 12")
                .hasMessageContaining("at most 10");
    }
}

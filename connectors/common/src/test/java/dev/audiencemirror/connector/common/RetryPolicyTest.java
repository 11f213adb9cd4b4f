package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.builder()
            .maxAttempts(5)
            .initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(1))
            .maxRetryTime(Duration.ofSeconds(10))
            .build();

    @Test
    void backoffGrowsExponentiallyWithinJitterBoundsAndIsCapped() {
        // attempt n waits between half and all of min(100ms * 2^(n-1), 1s)
        long[] caps = {100, 200, 400, 800};
        for (int attempt = 1; attempt <= 4; attempt++) {
            long cap = caps[attempt - 1];
            assertThat(policy.nextDelay(attempt, Duration.ZERO, Optional.empty(), 0.0)).hasValue(Duration.ofMillis(cap / 2));
            assertThat(policy.nextDelay(attempt, Duration.ZERO, Optional.empty(), 0.999).orElseThrow().toMillis())
                    .isBetween(cap / 2, cap);
        }
        RetryPolicy many = RetryPolicy.builder().maxAttempts(100).maxBackoff(Duration.ofSeconds(1)).build();
        assertThat(many.nextDelay(60, Duration.ZERO, Optional.empty(), 0.999).orElseThrow()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackoff() {
        assertThat(policy.nextDelay(1, Duration.ZERO, Optional.of(Duration.ofSeconds(3)), 0.5)).hasValue(Duration.ofSeconds(3));
        assertThat(policy.nextDelay(4, Duration.ZERO, Optional.of(Duration.ofMillis(1)), 0.0)).hasValue(Duration.ofMillis(400));
    }

    @Test
    void givesUpAfterMaxAttemptsOrMaxTime() {
        assertThat(policy.nextDelay(5, Duration.ZERO, Optional.empty(), 0.5)).isEmpty();
        assertThat(policy.nextDelay(2, Duration.ofMillis(9_950), Optional.empty(), 0.5)).isEmpty();
        assertThat(policy.nextDelay(1, Duration.ZERO, Optional.of(Duration.ofSeconds(11)), 0.5)).isEmpty();
    }

    @Test
    void untilSuccessNeverGivesUpAndWaitsAtMostTheMaxBackoff() {
        RetryPolicy forever = RetryPolicy.builder().maxAttempts(2).maxRetryTime(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(2)).untilSuccess().build();
        for (int attempt : new int[] {1, 2, 3, 50, 10_000, Integer.MAX_VALUE - 1}) {
            Duration d = forever.nextDelay(attempt, Duration.ofDays(3), Optional.empty(), 0.999).orElseThrow();
            assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2)).isPositive();
        }
        // A server asking for more is still obeyed, up to what RetryAfter caps it at.
        assertThat(forever.nextDelay(3, Duration.ofHours(1), Optional.of(Duration.ofSeconds(7)), 0.5))
                .hasValue(Duration.ofSeconds(7));
        assertThat(forever.untilSuccess()).isTrue();
        assertThat(policy.untilSuccess()).isFalse();
    }

    @Test
    void builderRejectsNonsenseNamingTheSetting() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO)).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxBackoff");
    }

    /** What a log line says of a policy: words, not a toString. */
    @Test
    void describesItselfInWords() {
        assertThat(RetryPolicy.builder().build().describe()).isEqualTo("up to 10 attempts within 5m, waits 0.1s to 30s");
        assertThat(RetryPolicy.builder().untilSuccess().build().describe()).isEqualTo("until success, waits 0.1s to 30s");
    }
}

package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse(Optional.of("2"), clock)).hasValue(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(Optional.of("Fri, 27 Nov 2026 06:00:05 GMT"), clock)).hasValue(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse(Optional.of("Fri, 27 Nov 2026 05:00:00 GMT"), clock)).hasValue(Duration.ZERO);
    }

    @Test
    void ignoresGarbageAndCapsHugeValues() {
        assertThat(RetryAfter.parse(Optional.of("soon"), clock)).isEmpty();
        assertThat(RetryAfter.parse(Optional.of("-3"), clock)).isEmpty();
        assertThat(RetryAfter.parse(Optional.empty(), clock)).isEmpty();
        assertThat(RetryAfter.parse(Optional.of("86400"), clock)).hasValue(Duration.ofMinutes(10));
    }
}

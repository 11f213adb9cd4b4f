package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {
    private static final int SEEDS = Integer.getInteger("isoinstants.seeds", 20);
    private static final int CASES = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-27T05:00:00Z", "2026-11-27T05:00:00.123Z", "2026-11-27T05:00:00.123456789Z",
            "2026-11-27T05:00:00+01:00", "2026-11-27T05:00:00.5-07:30", "2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z"})
    void theCommonShapesTakeTheFastPathAndAgreeWithTheFormatter(String text) {
        assertThat(IsoInstants.fastPath(text)).isNotNull().isEqualTo(formatter(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T05:00:00Z", "2026-13-01T05:00:00Z", "2026-11-27T24:00:00Z",
            "2026-11-27T05:60:00Z", "2026-11-27T05:00:60Z", "2026-11-27T05:00:00+18:01", "2026-11-27T05:00:00",
            "2026-11-27 05:00:00Z", "2026-11-27T05:00:00.1234567890Z", "x"})
    void whatTheFormatterRefusesIsRefused(String text) {
        assertThatThrownBy(() -> formatter(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void shapesTheFastPathLeavesToTheFormatterAreStillRead() {
        // lower-case separators, an offset with seconds, no seconds, a five-digit year, a bare decimal point
        for (String text : new String[] {"2026-11-27t05:00:00z", "2026-11-27T05:00:00+01:00:30", "2026-11-27T05:00Z",
                "+12026-11-27T05:00:00Z", "2026-11-27T05:00:00.Z"}) {
            assertThat(IsoInstants.fastPath(text)).as(text).isNull();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(formatter(text));
        }
    }

    /** Random near-valid and mutated strings: the answer (an instant or a refusal) is the formatter's. */
    @Test
    void agreesWithTheFormatterOnRandomText() {
        long fast = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random r = new Random(seed);
            for (int i = 0; i < CASES; i++) {
                String text = candidate(r);
                Instant expected;
                try {
                    expected = formatter(text);
                } catch (DateTimeParseException e) {
                    expected = null;
                }
                Instant actual;
                try {
                    actual = IsoInstants.parse(text);
                } catch (DateTimeParseException e) {
                    actual = null;
                }
                assertThat(actual).as("seed %d: %s", seed, text).isEqualTo(expected);
                if (IsoInstants.fastPath(text) != null) {
                    fast++;
                }
            }
        }
        // The generator mostly makes valid shapes: the fast path must have answered many of them.
        assertThat(fast).isGreaterThan(SEEDS * (long) CASES / 4);
    }

    private static Instant formatter(String text) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    private static String candidate(Random r) {
        StringBuilder sb = new StringBuilder();
        sb.append(pad(r.nextInt(10) == 0 ? r.nextInt(10_000) : 1990 + r.nextInt(60), 4)).append('-')
                .append(pad(r.nextInt(14), 2)).append('-').append(pad(r.nextInt(33), 2)).append('T')
                .append(pad(r.nextInt(26), 2)).append(':').append(pad(r.nextInt(62), 2)).append(':')
                .append(pad(r.nextInt(62), 2));
        if (r.nextInt(3) == 0) {
            sb.append('.');
            int digits = r.nextInt(11);
            for (int k = 0; k < digits; k++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
        }
        switch (r.nextInt(4)) {
            case 0, 1 -> sb.append('Z');
            case 2 -> sb.append(r.nextBoolean() ? '+' : '-').append(pad(r.nextInt(20), 2)).append(':')
                    .append(pad(r.nextInt(61), 2));
            default -> { }
        }
        if (r.nextInt(8) == 0) { // a mutation anywhere: a stray character, a dropped one, a case change
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.setCharAt(at, "0123456789-:T.Z+ tz".charAt(r.nextInt(19)));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, (char) ('0' + r.nextInt(10)));
            }
        }
        return sb.toString();
    }

    private static String pad(int v, int width) {
        String s = Integer.toString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}

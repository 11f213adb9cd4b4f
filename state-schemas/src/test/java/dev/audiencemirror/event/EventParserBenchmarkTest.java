package dev.audiencemirror.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Single-thread throughput of the event parser, the hot path (target: 200k events/s per job).
 * Left out of {@code verify}; run with
 * {@code mvn -pl state-schemas test -Dsurefire.excludedGroups=none -Dgroups=benchmark}.
 */
@Tag("benchmark")
class EventParserBenchmarkTest {

    @Test
    void parsesMembershipEventsFastEnough() {
        EventParser parser = new EventParser("adestra");
        byte[][] lines = new byte[1000][];
        for (int i = 0; i < lines.length; i++) {
            String name = i % 10 == 0 ? "Pageview" : (i % 2 == 0 ? "SegmentEntry" : "SegmentExit");
            lines[i] = ("{\"user_id\":\"user-" + i + "\",\"name\":\"" + name + "\",\"time\":\"2026-11-27T05:00:"
                    + String.format("%02d", i % 60) + ".123Z\",\"properties\":{\"segment_id\":" + (1000 + i % 50)
                    + ",\"client\":{\"url\":\"https://example.com/a/b\",\"type\":\"web\"}}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        long ok = 0;
        for (int warm = 0; warm < 200; warm++) {
            for (byte[] l : lines) {
                ok += parser.parse("bench", 0, l) instanceof ParseResult.Ok ? 1 : 0;
            }
        }
        int rounds = 1000;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (byte[] l : lines) {
                ok += parser.parse("bench", 0, l) instanceof ParseResult.Ok ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = rounds * lines.length / seconds;
        System.out.printf("EventParser: %.0f lines/s on one thread (%d ok)%n", perSecond, ok);
        assertThat(perSecond).isGreaterThan(200_000);
    }
}

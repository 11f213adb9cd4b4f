package dev.audiencemirror.sandbox.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.LogEntry;
import org.junit.jupiter.api.Test;

class RequestLogTest {

    private static void append(RequestLog log, int n) {
        for (int i = 0; i < n; i++) {
            log.append("POST", "/p/" + i, "e", 204, true, null, null);
        }
    }

    @Test
    void returnsEntriesAfterSinceInOrder() {
        RequestLog log = new RequestLog(100);
        append(log, 5);
        RequestLog.Page page = log.since(2, 100);
        assertThat(page.entries()).extracting(LogEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(page.nextSince()).isEqualTo(5);
        assertThat(log.since(5, 100).entries()).isEmpty();
        assertThat(log.since(5, 100).nextSince()).isEqualTo(5);
        assertThat(log.since(0, 2).entries()).extracting(LogEntry::seq).containsExactly(1L, 2L);
    }

    @Test
    void keepsOnlyTheNewestCapacityEntries() {
        RequestLog log = new RequestLog(10);
        append(log, 25);
        RequestLog.Page page = log.since(0, 100);
        assertThat(page.firstAvailable()).isEqualTo(16);
        assertThat(page.entries()).extracting(LogEntry::seq).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L,
                23L, 24L, 25L);
    }

    @Test
    void clearStartsAgainAtOne() {
        RequestLog log = new RequestLog(10);
        append(log, 3);
        log.clear();
        append(log, 1);
        assertThat(log.since(0, 10).entries()).extracting(LogEntry::seq).containsExactly(1L);
    }
}

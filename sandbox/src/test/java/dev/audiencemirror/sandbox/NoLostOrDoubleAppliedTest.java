package dev.audiencemirror.sandbox;

import static dev.audiencemirror.sandbox.ApiCalls.create;
import static dev.audiencemirror.sandbox.ApiCalls.ops;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Under concurrent load every request is applied exactly once, and the log shows each once, in effect order. */
class NoLostOrDoubleAppliedTest {

    /** An import id the published contract accepts (a UUID). */
    static final String IMPORT = "7d3f0c2e-5b8a-4e1f-9c6d-2a4b8e0f1c3d";

    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().lists(678, 679).imports(IMPORT).build();

    @Test
    void concurrentAddsRemovesAndBatchesAllLandOnce() throws Exception {
        long retriesBefore = ApiCalls.CLIENT_POOL_RACE_RETRIES.get();
        ApiCalls api = new ApiCalls(sandbox);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 10_000;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    assertThat(api.adestra("POST", base + i, 678).statusCode()).isEqualTo(204);
                    // Every third contact leaves again: the final state tells adds and removes apart.
                    if (i % 3 == 0) {
                        assertThat(api.adestra("DELETE", base + i, 678).statusCode()).isEqualTo(204);
                    }
                }
            }));
        }
        for (int t = 0; t < 2; t++) {
            int batchBase = t;
            done.add(pool.submit(() -> {
                for (int b = 0; b < 20; b++) {
                    String[] items = new String[50];
                    for (int i = 0; i < 50; i++) {
                        items[i] = create("t" + batchBase + "-b" + b + "-" + i, "n");
                    }
                    assertThat(api.patch(IMPORT, ops(items)).statusCode()).isEqualTo(200);
                }
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        for (Future<?> f : done) {
            f.get();
        }

        assertThat(sandbox.client().listContacts(678)).hasSize(8 * 100);
        assertThat(sandbox.client().importSegments(IMPORT)).hasSize(2 * 20 * 50);
        // Only a JDK client-side race (see ApiCalls) can repeat a request; no repeat otherwise.
        long retries = ApiCalls.CLIENT_POOL_RACE_RETRIES.get() - retriesBefore;
        SandboxStats stats = sandbox.client().stats();
        assertThat(stats.applied(SandboxStats.ADESTRA_ADDED)).isEqualTo(8 * 150);
        assertThat(stats.applied(SandboxStats.ADESTRA_REMOVED)).isEqualTo(8 * 50);
        assertThat(stats.applied(SandboxStats.ADESTRA_UNCHANGED)).isLessThanOrEqualTo(retries);
        assertThat(stats.applied(SandboxStats.SEGMENT_CREATED)).isEqualTo(2000);
        assertThat(stats.requestsWithStatus(429)).isZero();

        List<LogEntry> log = sandbox.client().log(0);
        assertThat((long) log.size()).isBetween(8 * 200 + 40L, 8 * 200 + 40L + retries);
        assertThat(log).extracting(LogEntry::seq).isSorted().doesNotHaveDuplicates();
        // Per contact, the log shows the POST before its DELETE, as they took effect.
        Map<String, String> last = new HashMap<>();
        for (LogEntry e : log) {
            if (e.path().startsWith("/contacts/") && !e.method().equals(last.get(e.path()))) {
                String prev = last.put(e.path(), e.method());
                assertThat(prev == null ? e.method() : prev + "," + e.method()).isIn("POST", "POST,DELETE");
            }
        }
    }
}

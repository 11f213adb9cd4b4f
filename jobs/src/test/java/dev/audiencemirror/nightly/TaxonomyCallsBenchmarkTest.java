package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxStats;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reading the import first costs in Taxonomy API calls: a first nightly run with {@code n}
 * segment definitions into an empty import, then a second with 1% of them changed, printed per
 * endpoint. Not a timing: the counts are exact. Run with
 * {@code mvn -B -ntp test -pl jobs -am -Dsurefire.excludedGroups=none -Dgroups=benchmark
 * -Dtest=TaxonomyCallsBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class TaxonomyCallsBenchmarkTest {
    private static final String IMPORT = "5b0f3c8e-2d7a-4c1b-9e6f-0a1b2c3d4e5f";

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678).imports(IMPORT).build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} segments")
    @ValueSource(ints = {5, 5_000})
    void callsPerRun(int n) throws Exception {
        Files.writeString(dir.resolve("identities.jsonl"),
                "{\"user_id\":\"u1\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"5001\",\"priority\":0}],\"time\":\"2026-11-27T00:00:00Z\"}\n");
        Files.writeString(dir.resolve("memberships.csv"), "user_id,cohort\nu1,c1\n");
        writeSegments(n, 0);
        String first = calls(run(0));
        writeSegments(n, Math.max(1, n / 100));
        String second = calls(run(1));
        System.out.printf("%d segments: first run (empty import): %s; second run (%d changed): %s%n", n, first,
                Math.max(1, n / 100), second);
        assertThat(SANDBOX.client().importDefinitions(IMPORT)).hasSize(n);
    }

    private void writeSegments(int n, int changed) throws Exception {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add("{\"code\":\"seg-" + i + "\",\"name\":\"Segment " + i + (i < changed ? " v2" : "") + "\"}");
        }
        Files.write(dir.resolve("segments.jsonl"), lines, StandardCharsets.UTF_8);
    }

    private SandboxStats run(int night) throws Exception {
        SandboxStats start = SANDBOX.client().stats();
        var config = TestConfig.of(SANDBOX, dir).activations("c1: 678").taxonomy("import-id: " + IMPORT)
                .nightlyFiles().load();
        RunReport report = new NightlyRun(config, new NightlyRun.Options(false, false, false),
                Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(night), ZoneOffset.UTC),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).execute();
        assertThat(report.outcome).isEqualTo(RunReport.Outcome.PUSHED);
        lastStart = start;
        return SANDBOX.client().stats();
    }

    private SandboxStats lastStart;

    private String calls(SandboxStats after) {
        long get = after.requests(Endpoint.TAXONOMY_GET_IMPORT) - lastStart.requests(Endpoint.TAXONOMY_GET_IMPORT);
        long pages = after.requests(Endpoint.TAXONOMY_LIST_SEGMENTS) - lastStart.requests(Endpoint.TAXONOMY_LIST_SEGMENTS);
        long patches = after.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS) - lastStart.requests(Endpoint.TAXONOMY_PATCH_SEGMENTS);
        return String.format("GET import %d, GET segment pages %d, PATCH %d (total %d)", get, pages, patches, get + pages + patches);
    }
}

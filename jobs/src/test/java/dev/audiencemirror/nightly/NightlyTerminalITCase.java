package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.progress.ProgressPrinter;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the terminal shows during a nightly run: progress while the jobs run, one summary line per
 * phase, and paths in one form from the first run on. No MiniClusterExtension here: each job runs
 * on the local mini-cluster the run starts with its own Flink settings, as under bin/mirror.
 */
class NightlyTerminalITCase {
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);
    private static final String IMPORT = "5d383e3a-4a6a-5062-8334-132381af9510";

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports(IMPORT).build();

    @TempDir
    Path dir;

    private void writeInputs(int users, long seed) throws Exception {
        NightlyScenario scenario = new NightlyScenario(users, ACTIVATIONS);
        scenario.writeIdentities(dir.resolve("identities.jsonl"));
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), scenario.memberships(seed, 0.3));
        Files.writeString(dir.resolve("segments.jsonl"), "{\"code\":\"s1\",\"name\":\"One\"}\n");
    }

    private String yaml(String baseUrl, String runsDir, int maxConcurrency) {
        return """
                activations: {c1: 678, c2: 679, c3: 680}
                adestra: {base-url: %1$s, max-concurrency: %5$d}
                taxonomy: {base-url: %1$s, import-id: %2$s}
                inputs:
                  identities: %3$s/identities.jsonl
                  memberships: %3$s/memberships.csv
                  segments: %3$s/segments.jsonl
                nightly:
                  state-dir: %3$s/state
                  runs-dir: %4$s
                """.formatted(baseUrl, IMPORT, dir, runsDir, maxConcurrency);
    }

    @Test
    void aSlowPushShowsOperationsSentOfTheTotalWhileItRunsAndEachPhaseEndsWithItsDuration() throws Exception {
        writeInputs(200, 1);
        String yaml = yaml(SANDBOX.baseUrl(), dir.resolve("runs").toString(), 2);
        // Key files: the push job's sinks read them on the TaskManager, whose environment has no keys.
        Path adestraKey = Files.writeString(dir.resolve("adestra-key"), SANDBOX.adestraKey());
        Path permutiveKey = Files.writeString(dir.resolve("permutive-key"), SANDBOX.permutiveKey());
        yaml = yaml.replace("adestra: {", "adestra: {api-key: {file: " + adestraKey + "}, ")
                .replace("taxonomy: {", "taxonomy: {api-key: {file: " + permutiveKey + "}, ");
        MirrorConfig config = new ConfigLoader(Map.of()).parse(yaml, "terminal.yaml");
        // 2 requests at a time, 60 ms each: the push takes seconds.
        SANDBOX.setFaults(FaultConfig.builder().latencyMs(60).scope(FaultConfig.Scope.ADESTRA).seed(1L).build());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        RunReport report = new NightlyRun(config, new NightlyRun.Options(false, false, false), Clock.systemUTC(),
                new ProgressPrinter(out, false, Duration.ofSeconds(1))).execute();

        assertThat(report.outcome).isEqualTo(RunReport.Outcome.PUSHED);
        long total = report.listOperations();
        assertThat(total).isGreaterThan(100);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        int pushing = indexOf(lines, "pushing " + total + " list operations and 1 segment operations...");
        int pushed = indexOf(lines, "pushed in ");
        assertThat(pushing).isNotNegative().isLessThan(pushed);

        Pattern progress = Pattern.compile("push: \\d+ s, list operations (\\d+) of (\\d+) sent, (\\d+) applied, \\d+ dead letters?, "
                + "\\d+ retr(y|ies), concurrency (\\d+) of 2; 1 segment operation \\(counted when the push ends\\)");
        List<Matcher> during = lines.subList(pushing + 1, pushed).stream().map(progress::matcher).filter(Matcher::matches).toList();
        assertThat(during).as("progress lines between 'pushing' and its summary, in %s", lines).isNotEmpty()
                .allSatisfy(m -> {
                    assertThat(Long.parseLong(m.group(2))).isEqualTo(total);
                    assertThat(Long.parseLong(m.group(1))).isBetween(0L, total);
                    assertThat(Long.parseLong(m.group(3))).isLessThanOrEqualTo(Long.parseLong(m.group(1)));
                    assertThat(Integer.parseInt(m.group(5))).isBetween(1, 2);
                });
        assertThat(during).as("counts read while the push ran").anySatisfy(m ->
                assertThat(Long.parseLong(m.group(1))).isStrictlyBetween(0L, total));

        String planned = lines.get(indexOf(lines, "planned in "));
        assertThat(planned).matches("planned in \\d+\\.\\d s: lines read: identities 200, memberships "
                + report.inputs.get("memberships").lines() + ", segments 1; to send: " + total
                + " list operations, 1 segment operation");
        assertThat(lines.get(pushed)).matches("pushed in \\d+\\.\\d s: " + total + " list operations \\(" + total
                + " applied, 0 dead letters, 0 retries\\), 1 segment operation \\(1 applied, 0 dead letters\\)");
        assertThat(lines.get(pushed + 1)).matches("committed in \\d+\\.\\d s: snapshot " + report.runId
                + " is the last synced state");
        assertThat(indexOf(lines, "planned in ")).isLessThan(pushing);
    }

    @Test
    void pathsArePrintedAsTheConfigGivesThemOnTheFirstRunAsOnLaterOnes() throws Exception {
        writeInputs(50, 2);
        // Relative to the working directory, as in conf/local.yaml; the parent does not exist yet,
        // which is when the first run printed absolute paths.
        Path base = Path.of("target", "nightly-terminal-" + System.nanoTime());
        Path config = dir.resolve("mirror.yaml");
        Files.writeString(config, yaml("embedded", base.resolve("runs").toString(), 10));
        try {
            for (int run = 1; run <= 2; run++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int code = new MirrorCli().run(new String[] {"nightly", "--config", config.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
                assertThat(code).isZero();
                String text = out.toString(StandardCharsets.UTF_8);
                assertThat(text).as("run %d", run)
                        .containsPattern("listed in " + Pattern.quote(base.resolve("runs") + "/") + "\\w+/unmatched-users\\)")
                        .contains("lists and segments in " + base.resolve("sandbox").resolve("state.json") + "\n")
                        .containsPattern("report: " + Pattern.quote(base.resolve("runs") + "/") + "\\w+/report.json\n")
                        .doesNotContain(base.toAbsolutePath().toString());
                Thread.sleep(1100); // the next run's id, by the second, is another folder
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.SandboxExtension;
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
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly run whose plan removes contacts that are no longer on the list (removed by hand in
 * Adestra since the last run), against a sandbox that answers such a {@code DELETE} with 404, as
 * Adestra may: the run ends as pushed (exit 0), the lists exact, and the report counts the
 * removals that found the contact already absent.
 */
class NightlyAbsentRemovalITCase {
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 680L);
    private static final NightlyScenario SCENARIO = new NightlyScenario(300, ACTIVATIONS);

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports("81943567-338e-53c5-9cdc-d3978bacb0cf")
            .adestraDeleteAbsent404(true).build();

    @TempDir
    Path dir;

    private int night;

    private MirrorConfig config() {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .adestra("max-attempts: 4", "max-retry-time: 20s")
                .taxonomy("import-id: 81943567-338e-53c5-9cdc-d3978bacb0cf")
                .inputs("identities: " + dir.resolve("identities.jsonl"), "memberships: " + dir.resolve("memberships.csv"))
                .nightly("state-dir: " + dir.resolve("state"))
                .load();
    }

    private record Night(RunReport report, String progress) {}

    private Night run() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T02:00:00Z").plusSeconds(86_400L * night++), ZoneOffset.UTC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunReport report = new NightlyRun(config(), new NightlyRun.Options(false, false, false), clock,
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute();
        return new Night(report, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void removalsOfContactsAlreadyOffTheListEndAsRemovalsAndAreCounted() throws Exception {
        SCENARIO.writeIdentities(dir.resolve("identities.jsonl"));
        List<String[]> day1 = SCENARIO.memberships(1, 0.4);
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), day1);
        assertThat(run().report().outcome).isEqualTo(RunReport.Outcome.PUSHED);

        // Day 2: every third c1 member leaves c1. Half of them were already taken off list 678 by
        // hand in Adestra meanwhile, so their removals meet a contact that is not on the list.
        List<String[]> day2 = new ArrayList<>();
        SortedSet<Long> byHand = new TreeSet<>();
        int c1 = 0;
        for (String[] row : day1) {
            if (row[1].equals("c1") && c1++ % 3 == 0) {
                long contact = 5000L + Integer.parseInt(row[0].substring(1));
                if (Integer.parseInt(row[0].substring(1)) % 10 != 9 && c1 % 2 == 0) {
                    byHand.add(contact);
                }
                continue;
            }
            day2.add(row);
        }
        assertThat(byHand).hasSizeGreaterThan(5);
        SortedSet<Long> onList = new TreeSet<>(SANDBOX.client().listContacts(678));
        onList.removeAll(byHand);
        SANDBOX.client().putList(678, onList);
        NightlyScenario.writeMemberships(dir.resolve("memberships.csv"), day2);
        long deletes404Before = SANDBOX.client().stats().requests(Endpoint.ADESTRA_REMOVE, 404);

        Night second = run();

        RunReport report = second.report();
        assertThat(report.outcome).as("%s", report.failure).isEqualTo(RunReport.Outcome.PUSHED);
        assertThat(report.outcome.exitCode).isZero();
        assertThat(SANDBOX.client().contactsByList(ACTIVATIONS.values())).isEqualTo(SCENARIO.expected(day2));
        assertThat(report.deadLetters).isZero();
        assertThat(report.removalsAlreadyAbsent).isEqualTo(byHand.size());
        assertThat(SANDBOX.client().stats().requests(Endpoint.ADESTRA_REMOVE, 404) - deletes404Before)
                .as("each such removal sent once: no retry loop").isEqualTo(byHand.size());
        assertThat(report.table()).contains("removals of contacts already absent from their list (Adestra answered 404,"
                + " the list exists; counted as applied): " + byHand.size());
        assertThat(second.progress()).contains(byHand.size() + " of them removals already absent");
        assertThat(Files.readString(report.runDir.resolve("report.json")))
                .contains("\"removals_already_absent\" : " + byHand.size());
    }
}

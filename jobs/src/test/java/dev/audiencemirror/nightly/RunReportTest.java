package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report's counts say what happened: a failed run's operations were planned, not counted as sent. */
class RunReportTest {
    @TempDir
    Path dir;

    private RunReport report(RunReport.Outcome outcome, boolean pushStarted) {
        RunReport report = new RunReport();
        report.runId = "20261201T222812Z";
        report.runDir = dir;
        report.outcome = outcome;
        report.pushStarted = pushStarted;
        report.inputs.put("memberships", new RunReport.InputCounts(10, 0, 1, 9));
        RunReport.ListCounts list = new RunReport.ListCounts();
        list.target = 1253;
        list.adds = 1253;
        report.lists.put(678L, list);
        report.importId = "32f8e031-c532-41bb-b25e-65bdb677a96f";
        report.creates = 5;
        return report;
    }

    @Test
    void aFailedPushSaysItsOperationsWerePlannedAndWhatReachedTheDestinationIsUnknown() throws Exception {
        RunReport failed = report(RunReport.Outcome.FAILED, true);
        failed.failure = "Adestra could not be reached for its start-up check";
        assertThat(failed.table())
                .contains("Adestra list               before     target     to add  to remove       held     failed\n"
                        + "678                             0       1253       1253          0          0          -\n"
                        + "planned: the push failed, so which of these operations reached the destination is not known;"
                        + " the next run sends each again\n")
                .contains("Permutive import                         before to create to update to delete     held   failed\n"
                        + "32f8e031-c532-41bb-b25e-65bdb677a96f          0         5         0         0        0        -\n");
        failed.writeJson();
        assertThat(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("operations_sent").asText())
                .isEqualTo("unknown");
    }

    @Test
    void aRunThatFailedBeforeThePushSentNothing() throws Exception {
        RunReport failed = report(RunReport.Outcome.FAILED, false);
        assertThat(failed.table()).contains("planned, not sent: the run failed before the push\n");
        failed.writeJson();
        assertThat(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("operations_sent").asText())
                .isEqualTo("none");
    }

    @Test
    void aPushedRunCountsWhatItSent() throws Exception {
        RunReport pushed = report(RunReport.Outcome.PUSHED, true);
        assertThat(pushed.table())
                .contains("Adestra list               before     target       adds    removes       held     failed\n"
                        + "678                             0       1253       1253          0          0          0\n")
                .doesNotContain("planned");
        pushed.writeJson();
        assertThat(new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("operations_sent").asText())
                .isEqualTo("all");
    }
}

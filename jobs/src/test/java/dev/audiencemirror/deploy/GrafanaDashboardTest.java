package dev.audiencemirror.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Grafana dashboard is valid, every panel queries something, and only metrics the README names. */
class GrafanaDashboardTest {

    @Test
    void theDashboardIsValidAndQueriesOnlyTheMetricsTheReadmeNames() throws Exception {
        DashboardCheck check = DashboardCheck.run(ManifestReferenceTest.repoRoot());
        assertThat(check.problems()).as("problems").isEmpty();
        // What the issue asks for: sent, retried, dead-lettered, pending, oldest pending age, latency,
        // API unavailable, Kafka lag, checkpoint duration and failures, restarts.
        String op = "flink_taskmanager_job_task_operator_";
        assertThat(check.metrics()).allSatisfy(m -> assertThat(m).matches("(flink|kube)_\\w+"));
        assertThat(check.metrics()).contains(op + "listOperationsSent", op + "operationsSucceeded",
                op + "operationsRetried", op + "operationsDeadLettered", op + "pendingOperations",
                op + "oldestPendingOperationAgeMillis", op + "eventToAppliedMillis", op + "apiUnavailableMillis",
                op + "pendingRecords", op + "KafkaSourceReader_KafkaConsumer_records_lag_max",
                "flink_jobmanager_job_lastCheckpointDuration", "flink_jobmanager_job_numberOfFailedCheckpoints",
                "flink_jobmanager_job_numRestarts");
    }

    @Test
    void metricNamesAreFoundInPromql() {
        assertThat(DashboardCheck.metricNames(
                "sum by (job_name, operator_name) (rate(flink_a_b{job_name=~\"$job\", quantile=\"0.99\"}[5m])) / on(x) flink_c > 1e3"))
                .containsExactly("flink_a_b", "flink_c");
        assertThat(DashboardCheck.variableMetricNames("label_values(flink_jobmanager_job_numRestarts, job_name)"))
                .containsExactly("flink_jobmanager_job_numRestarts");
        assertThat(DashboardCheck.variableMetricNames("label_values(flink_x{job_name=~\"a\"}, operator_name)"))
                .containsExactly("flink_x");
    }

    /** Each row breaks the dashboard (or the README) in a copy: the check names the problem. */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            k8s/base/grafana/audience-mirror-dashboard.json | operator_operationsRetried{     | operator_operationRetried{      | flink_taskmanager_job_task_operator_operationRetried, which the README
            k8s/base/grafana/audience-mirror-dashboard.json | job_numRestarts{                | job_restarts{                   | flink_jobmanager_job_restarts
            k8s/base/grafana/audience-mirror-dashboard.json | "expr": "max by (job_name) (flink_jobmanager_job_lastCheckpointDuration | "exp": "max by (job_name) (flink_jobmanager_job_lastCheckpointDuration | without a query
            k8s/base/grafana/audience-mirror-dashboard.json | "uid": "${datasource}"          | "uid": "prometheus"             | datasource is not ${datasource}
            k8s/base/grafana/audience-mirror-dashboard.json | "panels": [                     | "panels": [[                    | not valid JSON
            k8s/base/grafana/audience-mirror-dashboard.json | "query": "label_values(flink_jobmanager_job_numRestarts, | "query": "label_values(flink_jobmanager_job_numRestart, | queries flink_jobmanager_job_numRestart, which
            README.md                                       | `operationsRetried`             | `operationsRepeated`            | operator_operationsRetried, which the README
            """)
    void aBrokenDashboardIsReported(String file, String from, String to, String expected, @TempDir Path copy) throws Exception {
        Path root = ManifestReferenceTest.repoRoot();
        Files.createDirectories(copy.resolve(DashboardCheck.FILE).getParent());
        Files.copy(root.resolve(DashboardCheck.FILE), copy.resolve(DashboardCheck.FILE));
        Files.copy(root.resolve("README.md"), copy.resolve("README.md"));
        Path target = copy.resolve(file.strip());
        String text = Files.readString(target);
        assertThat(text).as("the row's text is in %s", file).contains(from.strip());
        Files.writeString(target, text.replace(from.strip(), to.strip()));

        assertThat(DashboardCheck.run(copy).problems()).as("problems after %s -> %s", from, to)
                .anySatisfy(p -> assertThat(p).contains(expected.strip()));
    }
}

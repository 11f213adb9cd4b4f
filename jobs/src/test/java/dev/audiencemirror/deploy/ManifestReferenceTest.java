package dev.audiencemirror.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deployment files (k8s/, conf/config.yaml, conf/local-cluster/config.yaml, Dockerfile) refer
 * only to things that exist, as written and as {@code kubectl kustomize} renders each overlay: see
 * {@link ManifestCheck} for the list. No cluster; the rendered checks are skipped without kubectl.
 */
class ManifestReferenceTest {

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("k8s")) && Files.exists(p.resolve("Dockerfile")))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root (with k8s/ and Dockerfile) above the working directory").isNotNull();
        return p;
    }

    @Test
    void everyClassConfigKeySecretEnvVarAndPathTheDeploymentFilesNameExists() throws Exception {
        ManifestCheck check = ManifestCheck.run(repoRoot());
        assertThat(check.problems()).as("problems").isEmpty();
        // It really looked: the files and references it found.
        assertThat(check.checked()).contains(
                "config stream.yaml loaded for audience-mirror-stream/jobmanager",
                "config nightly.yaml loaded for audience-mirror-nightly/cronjob",
                "class dev.audiencemirror.cli.MirrorCli",
                "class org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                "jar /opt/flink/usrlib/audience-mirror-jobs.jar",
                "secret key adestra-api-key",
                "secret key kafka-sasl-jaas-config",
                "env KAFKA_SASL_JAAS_CONFIG",
                "env KAFKA_SASL_JAAS_CONFIG on k8s FlinkDeployment/audience-mirror-stream taskManager",
                "overlay staging",
                "overlay production");
        assertThat(check.checked().stream().filter(c -> c.startsWith("flink key ")).count()).isGreaterThan(30);
    }

    static Path kubectl() {
        Path kubectl = ManifestCheck.kubectlOnPath().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not on the PATH: the manifests as kubectl kustomize renders them are not checked");
        return kubectl;
    }

    @Test
    void whatKubectlKustomizeRendersForEveryOverlayHasWhatTheJobsNeed() throws Exception {
        ManifestCheck check = ManifestCheck.run(repoRoot(), kubectl());
        assertThat(check.problems()).as("problems").isEmpty();
        for (String env : List.of("staging", "production")) {
            String r = "rendered overlays/" + env;
            assertThat(check.checked()).contains(
                    "rendered overlay " + env,
                    "config stream.yaml loaded for " + r + " audience-mirror-stream/jobmanager",
                    "config nightly.yaml loaded for " + r + " audience-mirror-nightly/cronjob",
                    r + " image registry.example.com/audience-mirror:0.1.0-SNAPSHOT",
                    r + " dashboard ConfigMap",
                    r + " concurrencyPolicy Forbid",
                    r + " execution.checkpointing.dir s3://CHANGE-ME-" + env + "-bucket/audience-mirror/stream/checkpoints");
        }
    }

    /**
     * The rendering's view: each row changes a copy of the files (most of them so that each file still
     * looks right on its own) and the check of the rendered overlays reports it.
     */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            k8s/base/kustomization.yaml              | disableNameSuffixHash: true       | disableNameSuffixHash: false                   | mounts ConfigMap audience-mirror-config, but rendered overlays/staging has only
            k8s/base/kustomizeconfig.yaml            | path: spec/image                  | path: spec/images                              | runs image audience-mirror, not the overlay's
            k8s/base/nightly-cronjob.yaml            | concurrencyPolicy: Forbid         | concurrencyPolicy: Allow                       | concurrencyPolicy is Allow, not Forbid
            k8s/overlays/staging/kustomization.yaml  | namespace: audience-mirror-staging | namespace: audience-mirror-staging\\nnamePrefix: staging- | rendered overlays/staging: no FlinkDeployment audience-mirror-stream
            k8s/overlays/production/scale.yaml       | job:\\n    parallelism: 4          | job:\\n    jarURI: local:///opt/flink/usrlib/old.jar\\n    parallelism: 4 | job.jarURI local:///opt/flink/usrlib/old.jar is not the image's jar
            k8s/overlays/production/flink-paths.yaml | stream/ha                          | stream/ha\\n    heartbeat.timeout: 60 s         | flinkConfiguration heartbeat.timeout is 60 s, conf/config.yaml says 20 s
            k8s/overlays/production/flink-paths.yaml | -production-bucket/audience-mirror/stream/checkpoints | /audience-mirror/stream/checkpoints | execution.checkpointing.dir is the base's
            k8s/base/kustomization.yaml              | grafana_dashboard: "1"            | grafana-dashboard: "1"                         | no ConfigMap audience-mirror-grafana-dashboard labelled grafana_dashboard
            k8s/base/nightly-runs-pvc.yaml           | name: audience-mirror-runs        | name: audience-mirror-run                      | mounts PersistentVolumeClaim audience-mirror-runs, which is not rendered
            k8s/base/kustomization.yaml              | - nightly-cronjob.yaml            | - nightly-cronjob.yml                          | kubectl kustomize failed
            """)
    void aProblemOnlyTheRenderingShowsIsReported(String file, String from, String to, String expected, @TempDir Path copy)
            throws Exception {
        Path kubectl = kubectl();
        Path root = repoRoot();
        for (String part : List.of("k8s", "conf", "Dockerfile", "pom.xml")) {
            copyTree(root.resolve(part), copy.resolve(part));
        }
        Path target = copy.resolve(file.strip());
        String text = Files.readString(target);
        String before = from.strip().replace("\\n", "\n");
        assertThat(text).as("the row's text is in %s", file).contains(before);
        Files.writeString(target, text.replace(before, to.strip().replace("\\n", "\n")));

        assertThat(ManifestCheck.run(copy, kubectl).problems()).as("problems after %s -> %s", from, to)
                .anySatisfy(p -> assertThat(p).startsWith("rendered overlays/").contains(expected.strip()));
    }

    @ParameterizedTest
    @CsvSource({"conf/local-cluster/stream.yaml", "conf/local-cluster/nightly.yaml"})
    void theLocalClusterJobConfigsLoad(String file) {
        var config = new dev.audiencemirror.config.ConfigLoader(
                java.util.Map.of("ADESTRA_API_KEY", "k1", "PERMUTIVE_API_KEY", "k2")).load(repoRoot().resolve(file));
        assertThat(config.adestra().baseUrl().isEmbedded()).isFalse();
    }

    /** A typo anywhere is found: each row breaks one reference in a copy of the files. */
    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            k8s/base/stream-deployment.yaml  | dev.audiencemirror.cli.MirrorCli         | dev.audiencemirror.cli.MirrorCLI           | class dev.audiencemirror.cli.MirrorCLI
            k8s/base/stream-deployment.yaml  | execution.checkpointing.interval: 10 s    | execution.checkpointing.intervall: 10 s    | unknown Flink key execution.checkpointing.intervall
            conf/config.yaml                 | heartbeat.timeout: 20 s                   | heartbeat.timeout: 30 s                    | heartbeat.timeout
            conf/local-cluster/config.yaml   | heartbeat.interval                        | heartbeat.intervall                        | unknown Flink key heartbeat.intervall
            k8s/base/stream-deployment.yaml  | key: kafka-sasl-jaas-config               | key: kafka-jaas-config                     | kafka-jaas-config
            k8s/secret.template.yaml         | permutive-api-key: ""                     | permutive-key: ""                          | permutive-api-key
            k8s/base/config/stream.yaml      | {env: KAFKA_SASL_JAAS_CONFIG}             | {env: KAFKA_JAAS}                          | KAFKA_JAAS
            k8s/base/stream-deployment.yaml  | - name: KAFKA_SASL_JAAS_CONFIG # TaskManagers | - name: KAFKA_LOGIN                  | reads env KAFKA_SASL_JAAS_CONFIG, which these TaskManagers do not set
            k8s/base/config/nightly.yaml     | sync-mode: mirror                         | sync-mod: mirror                           | sync-mod
            k8s/base/config/nightly.yaml     | /opt/mirror/secrets/adestra-api-key       | /opt/mirror/secret/adestra-api-key         | /opt/mirror/secret/adestra-api-key
            k8s/base/nightly-cronjob.yaml    | /opt/mirror/config/nightly.yaml           | /opt/mirror/config/nightly.yml             | nightly.yml
            k8s/base/nightly-cronjob.yaml    | - /opt/flink/usrlib/audience-mirror-jobs.jar | - /opt/flink/usrlib/mirror-jobs.jar     | /opt/flink/usrlib/mirror-jobs.jar
            Dockerfile                       | /opt/flink/usrlib/audience-mirror-jobs.jar | /opt/flink/usrlib/audience-mirror.jar     | /opt/flink/usrlib/audience-mirror-jobs.jar
            Dockerfile                       | audience-mirror-jobs-${VERSION}.jar       | audience-mirror-job-${VERSION}.jar         | jobs/target/audience-mirror-job-0.1.0-SNAPSHOT.jar
            k8s/base/nightly-session.yaml    | mountPath: /opt/mirror/runs               | mountPath: /opt/mirror/run                 | /opt/mirror/runs
            k8s/overlays/staging/kustomization.yaml | - path: scale.yaml                 | - path: scales.yaml                        | scales.yaml
            k8s/overlays/production/flink-paths.yaml | execution.checkpointing.savepoint-dir | execution.checkpointing.savepoints-dir  | savepoints-dir
            k8s/secret.template.yaml         | adestra-api-key: ""                       | adestra-api-key: "abc123"                  | adestra-api-key has a value
            k8s/base/stream-deployment.yaml  | retention: RETAIN_ON_CANCELLATION         | retention: DELETE_ON_CANCELLATION          | checkpoints are not retained on cancellation
            """)
    void aBrokenReferenceIsReported(String file, String from, String to, String expected, @TempDir Path copy) throws Exception {
        Path root = repoRoot();
        for (String part : List.of("k8s", "conf", "Dockerfile", "pom.xml")) {
            copyTree(root.resolve(part), copy.resolve(part));
        }
        Path target = copy.resolve(file.strip());
        String text = Files.readString(target);
        assertThat(text).as("the row's text is in %s", file).contains(from.strip());
        Files.writeString(target, text.replace(from.strip(), to.strip()));

        assertThat(ManifestCheck.run(copy).problems()).as("problems after %s -> %s", from, to)
                .anySatisfy(p -> assertThat(p).contains(expected.strip()));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(f, t);
                }
            }
        }
    }
}

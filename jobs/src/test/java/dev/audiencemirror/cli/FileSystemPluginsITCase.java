package dev.audiencemirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.files.TestSchemeFileSystemFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.flink.core.fs.FileSystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirror}'s JVM reads inputs through Flink's file-system plugins (the way {@code s3://}
 * is read, README "Inputs on S3"): from the folder {@code FLINK_PLUGINS_DIR} names, configured with
 * the config's {@code flink:} settings. The plugin here is a test's ({@link TestSchemeFileSystemFactory}),
 * in a jar in a plugins folder as Flink's own are.
 */
class FileSystemPluginsITCase {
    @TempDir
    Path dir;

    @Test
    void checkReadsAnInputThroughAPluginInFlinkPluginsDirConfiguredByTheConfigsFlinkSettings() throws Exception {
        Files.writeString(dir.resolve("identities.jsonl"), "");
        Files.writeString(dir.resolve("memberships.csv"), "user_id,cohort\nu1,1001\n");
        String inputs = """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs:
                  identities: %1$s://%2$s/identities.jsonl
                  memberships: %1$s://%2$s/memberships.csv
                """.formatted(TestSchemeFileSystemFactory.SCHEME, dir);
        Path enabled = Files.writeString(dir.resolve("enabled.yaml"), inputs + "flink: {mirrortest.enabled: \"true\"}\n");
        Path plugins = plugins();

        String without = check(Map.of(), enabled, 2);
        assertThat(without).contains("inputs.identities: mirrortest://" + dir + "/identities.jsonl: no file system for"
                + " mirrortest:// here; Flink loads it as a plugin");

        String with = check(Map.of("FLINK_PLUGINS_DIR", plugins.toString()), enabled, 0);
        assertThat(with).contains("Configuration " + enabled + " is valid.");

        Path notEnabled = Files.writeString(dir.resolve("not-enabled.yaml"), inputs);
        assertThat(check(Map.of("FLINK_PLUGINS_DIR", plugins.toString()), notEnabled, 2))
                .contains("inputs.identities: mirrortest://" + dir + "/identities.jsonl: no file system for it"
                        + " (mirrortest.enabled is not true in the Flink settings the plugin was given)");
    }

    /** A plugins folder with the test's file system as its one plugin, in a folder of its own. */
    private Path plugins() throws Exception {
        Path plugins = dir.resolve("plugins");
        Path jar = Files.createDirectories(plugins.resolve("mirrortest-fs")).resolve("mirrortest-fs.jar");
        String cls = TestSchemeFileSystemFactory.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                InputStream bytes = TestSchemeFileSystemFactory.class.getResourceAsStream("/" + cls)) {
            out.putNextEntry(new JarEntry(cls));
            bytes.transferTo(out);
            out.putNextEntry(new JarEntry("META-INF/services/" + FileSystemFactory.class.getName()));
            out.write(TestSchemeFileSystemFactory.class.getName().getBytes(StandardCharsets.UTF_8));
        }
        return plugins;
    }

    private String check(Map<String, String> env, Path config, int exitCode) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (MirrorProcess run = MirrorProcess.start(tmp, dir.resolve("check-" + System.nanoTime() + ".log"), env,
                "check", "--config", config.toString())) {
            assertThat(run.exitCode(Duration.ofSeconds(60))).as(run.output()).isEqualTo(exitCode);
            return run.output();
        }
    }
}

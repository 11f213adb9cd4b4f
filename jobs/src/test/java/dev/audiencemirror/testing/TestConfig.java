package dev.audiencemirror.testing;

import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.sandbox.SandboxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mirror config for an end-to-end test, pointed at a sandbox. What every such config has alike
 * is filled in here: both destinations' base URL and API key, and {@code nightly.runs-dir} in the
 * test's folder. The test names each setting it depends on, section by section:
 *
 * <pre>{@code
 * MirrorConfig config = TestConfig.of(SANDBOX, dir)
 *         .activations("c1: 678, c2: 679")
 *         .adestra("max-attempts: 6", "max-retry-time: 20s")
 *         .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36")
 *         .stream("window: 200ms")
 *         .checkpointsEvery("200 ms").fixedDelayRestarts(3, "200 ms")
 *         .load();
 * }</pre>
 *
 * A setting is {@code "key: value"} as it stands in the YAML; a later one of the same key replaces
 * the earlier. The API keys are read from the files {@code test-keys/adestra-key} and
 * {@code test-keys/permutive-key} in the test's folder, written here with the sandbox's keys,
 * unless the test names variables or other files: a job's sinks read them on the TaskManagers, which see the
 * files but not the variables that {@link #loader()} gives its main.
 */
public final class TestConfig {
    public static final String ADESTRA_KEY = "ADESTRA_KEY";
    public static final String PERMUTIVE_KEY = "PERMUTIVE_KEY";
    private static final List<String> SECTIONS = List.of("adestra", "taxonomy", "kafka", "inputs", "nightly", "stream", "flink");

    private final SandboxServer sandbox;
    private final Path dir;
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    private String activations;
    private String syncMode;
    private String adestraKeyVariable = ADESTRA_KEY;
    private String permutiveKeyVariable = PERMUTIVE_KEY;

    private TestConfig(SandboxServer sandbox, Path dir) {
        this.sandbox = sandbox;
        this.dir = dir;
        SECTIONS.forEach(s -> sections.put(s, new LinkedHashMap<>()));
        // No test holds a request past 3 s, and a restored job re-sends every key (code) of its fence one
        // settle delay later (the default, 3 request timeouts, would hold each failover test 30 s, 90 s).
        adestra("base-url: " + sandbox.baseUrl(), "request-timeout: 3s", "settle-delay: 3s");
        taxonomy("base-url: " + sandbox.baseUrl(), "request-timeout: 3s", "settle-delay: 3s");
        keyFiles(writeSandboxKeys(dir.resolve("test-keys")));
        nightly("runs-dir: " + dir.resolve("runs"));
    }

    /** @param dir the test's folder: runs, checkpoints and key files go under it */
    public static TestConfig of(SandboxServer sandbox, Path dir) {
        return new TestConfig(sandbox, dir);
    }

    public static TestConfig of(SandboxExtension sandbox, Path dir) {
        return of(sandbox.server(), dir);
    }

    /** @param cohortsToLists e.g. {@code "c1: 678, c2: 679"} */
    public TestConfig activations(String cohortsToLists) {
        activations = cohortsToLists;
        return this;
    }

    /** The root {@code sync-mode}: {@code add}, {@code remove}, {@code mirror} or {@code upsert}. */
    public TestConfig syncMode(String mode) {
        syncMode = mode;
        return this;
    }

    public TestConfig adestra(String... settings) {
        return set("adestra", settings);
    }

    public TestConfig taxonomy(String... settings) {
        return set("taxonomy", settings);
    }

    public TestConfig kafka(String... settings) {
        return set("kafka", settings);
    }

    public TestConfig inputs(String... settings) {
        return set("inputs", settings);
    }

    public TestConfig nightly(String... settings) {
        return set("nightly", settings);
    }

    public TestConfig stream(String... settings) {
        return set("stream", settings);
    }

    public TestConfig flink(String... settings) {
        return set("flink", settings);
    }

    /**
     * The broker, group {@code mirror-<suffix>}, and topics of the test's own:
     * {@code identities-<suffix>}, {@code events-<suffix>}, {@code segments-<suffix>}, {@code dead-letters-<suffix>}.
     */
    public TestConfig kafkaTopics(String bootstrapServers, String suffix) {
        return kafka("bootstrap-servers: " + bootstrapServers, "group-id: mirror-" + suffix,
                "topics: {identities: identities-%1$s, events: events-%1$s, segments: segments-%1$s, dead-letter: dead-letters-%1$s}"
                        .formatted(suffix));
    }

    /** The nightly run's inputs, {@code identities.jsonl}, {@code memberships.csv} and {@code segments.jsonl}, and its state folder, {@code state}, in the test's folder. */
    public TestConfig nightlyFiles() {
        inputs("identities: " + dir.resolve("identities.jsonl"), "memberships: " + dir.resolve("memberships.csv"),
                "segments: " + dir.resolve("segments.jsonl"));
        return nightly("state-dir: " + dir.resolve("state"));
    }

    /** The streaming job's watched folders in file mode: {@code <in>/identities} and {@code <in>/events}. */
    public TestConfig watchedFolders(Path in) {
        return inputs("identities: " + in.resolve("identities"), "events: " + in.resolve("events"));
    }

    /** Checkpoints every {@code interval} (e.g. {@code "200 ms"}) into {@code checkpoints} in the test's folder. */
    public TestConfig checkpointsEvery(String interval) {
        return flink("execution.checkpointing.interval: " + interval,
                "execution.checkpointing.dir: file://" + dir.resolve("checkpoints"));
    }

    /** Restarts after a failure, {@code attempts} times at the most, {@code delay} (e.g. {@code "200 ms"}) apart. */
    public TestConfig fixedDelayRestarts(int attempts, String delay) {
        return flink("restart-strategy.type: fixed-delay", "restart-strategy.fixed-delay.attempts: " + attempts,
                "restart-strategy.fixed-delay.delay: " + delay);
    }

    /**
     * The keys from these environment variables: what a process started with the sandbox's keys
     * under these names reads (its main, and TaskManagers that have the same variables).
     */
    public TestConfig keysFromEnv(String adestraVariable, String permutiveVariable) {
        adestraKeyVariable = adestraVariable;
        permutiveKeyVariable = permutiveVariable;
        adestra("api-key: {env: " + adestraVariable + "}");
        return taxonomy("api-key: {env: " + permutiveVariable + "}");
    }

    /** The keys from these files, which the test writes. */
    public TestConfig keyFiles(Path adestra, Path permutive) {
        adestra("api-key: {file: " + adestra + "}");
        return taxonomy("api-key: {file: " + permutive + "}");
    }

    /**
     * Writes the sandbox's keys to {@code adestra-key} and {@code permutive-key} in the test's
     * folder now, and reads them from there: as a deployment does, for {@code bin/mirror}'s entry
     * point, which reads the environment of this JVM (that has none of the keys).
     */
    public TestConfig sandboxKeysInFiles() {
        return keyFiles(writeSandboxKeys(dir));
    }

    private TestConfig keyFiles(Path[] files) {
        return keyFiles(files[0], files[1]);
    }

    /** {@code adestra-key} and {@code permutive-key} in {@code folder}, holding the sandbox's keys now. */
    private Path[] writeSandboxKeys(Path folder) {
        Path adestra = folder.resolve("adestra-key");
        Path permutive = folder.resolve("permutive-key");
        try {
            Files.createDirectories(folder);
            Files.writeString(adestra, sandbox.adestraKey());
            Files.writeString(permutive, sandbox.permutiveKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Path[] {adestra, permutive};
    }

    public String yaml() {
        StringBuilder yaml = new StringBuilder();
        if (activations != null) {
            yaml.append("activations: {").append(activations).append("}\n");
        }
        if (syncMode != null) {
            yaml.append("sync-mode: ").append(syncMode).append('\n');
        }
        sections.forEach((section, settings) -> {
            if (!settings.isEmpty()) {
                yaml.append(section).append(":\n");
                settings.forEach((key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
            }
        });
        return yaml.toString();
    }

    /** A loader whose environment holds the sandbox's keys under the variables the config names. */
    public ConfigLoader loader() {
        return new ConfigLoader(Map.of(adestraKeyVariable, sandbox.adestraKey(), permutiveKeyVariable, sandbox.permutiveKey()));
    }

    public MirrorConfig load() {
        return loader().parse(yaml(), "test.yaml");
    }

    /** Writes the YAML to {@code name} in the test's folder. */
    public Path write(String name) throws IOException {
        return Files.writeString(dir.resolve(name), yaml());
    }

    private TestConfig set(String section, String... settings) {
        for (String setting : settings) {
            int colon = setting.indexOf(": ");
            if (colon < 1) {
                throw new IllegalArgumentException(section + ": \"" + setting + "\" is not \"key: value\"");
            }
            sections.get(section).put(setting.substring(0, colon), setting.substring(colon + 2));
        }
        return this;
    }
}

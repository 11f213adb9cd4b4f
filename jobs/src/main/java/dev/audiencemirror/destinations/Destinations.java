package dev.audiencemirror.destinations;

import dev.audiencemirror.config.AdestraSettings;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.TaxonomySettings;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.RetryPolicy;
import dev.audiencemirror.connector.taxonomy.TaxonomySink;
import dev.audiencemirror.connector.taxonomy.TaxonomySinkConfig;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.sandbox.SandboxServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run sends, resolved from the config: real APIs, or the embedded sandbox, started here
 * with the configured lists and import (never created through the APIs) and a state file so
 * that it remembers its lists from one local run to the next. Public: the streaming job
 * ({@code dev.audiencemirror.stream}) resolves its destinations the same way.
 *
 * <p>The keys are where the config says they are ({@link SecretRef}): the sinks carry that, and
 * each TaskManager reads the key itself. The embedded sandbox's fixed key is no secret and rides
 * in the job as it is, marked so ({@link SecretRef#notSecret}).
 */
public final class Destinations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Destinations.class);

    public final URI adestraUrl;
    public final SecretRef adestraKey;
    public final URI taxonomyUrl;
    public final SecretRef taxonomyKey;
    private final SandboxServer sandbox;

    private Destinations(URI adestraUrl, SecretRef adestraKey, URI taxonomyUrl, SecretRef taxonomyKey,
            SandboxServer sandbox) {
        this.adestraUrl = adestraUrl;
        this.adestraKey = adestraKey;
        this.taxonomyUrl = taxonomyUrl;
        this.taxonomyKey = taxonomyKey;
        this.sandbox = sandbox;
    }

    public static Destinations open(MirrorConfig config, Path sandboxStateFile) {
        SandboxServer sandbox = null;
        boolean embedded = config.adestra().baseUrl().isEmbedded() || config.taxonomy().baseUrl().isEmbedded();
        if (embedded) {
            sandbox = SandboxServer.builder()
                    .port(0)
                    .lists(config.activations().values())
                    .imports(config.taxonomy().importId())
                    .stateFile(sandboxStateFile)
                    .build()
                    .start();
            LOG.info("embedded sandbox at {} (state in {})", sandbox.baseUrl(), sandboxStateFile);
        }
        URI adestraUrl = config.adestra().baseUrl().isEmbedded() ? URI.create(sandbox.baseUrl()) : config.adestra().baseUrl().uri();
        SecretRef adestraKey = key(config.adestra().apiKey(), sandbox, true);
        URI taxonomyUrl = config.taxonomy().baseUrl().isEmbedded() ? URI.create(sandbox.baseUrl()) : config.taxonomy().baseUrl().uri();
        SecretRef taxonomyKey = key(config.taxonomy().apiKey(), sandbox, false);
        return new Destinations(adestraUrl, adestraKey, taxonomyUrl, taxonomyKey, sandbox);
    }

    /**
     * The embedded sandbox keeps its lists next to the runs, so consecutive local runs of either
     * job see one destination. Relative when {@code nightly.runs-dir} is: printed paths keep the
     * form the config gives them.
     */
    public static Path sandboxStateFile(MirrorConfig config) {
        Path runs = config.nightly().runsDir();
        Path absolute = runs.toAbsolutePath().normalize();
        Path parent = absolute.getParent() == null ? absolute : absolute.getParent();
        Path state = parent.resolve("sandbox").resolve("state.json");
        return runs.isAbsolute() ? state : Path.of("").toAbsolutePath().relativize(state);
    }

    /** The embedded sandbox's default key, as messages name it. */
    public static final String SANDBOX_DEFAULT_KEY = "the embedded sandbox's default key";

    private static SecretRef key(Optional<SecretRef> configured, SandboxServer sandbox, boolean adestra) {
        if (configured.isPresent()) {
            return configured.get();
        }
        return SecretRef.notSecret(adestra ? sandbox.adestraKey() : sandbox.permutiveKey(), SANDBOX_DEFAULT_KEY);
    }

    /** The Adestra sink as the config describes it, with the nightly run's bounded retries. */
    public AdestraSink adestraSink(MirrorConfig config, Sink<DeadLetter> deadLetters) {
        return adestraSink(config, deadLetters, config.adestra().boundedRetries());
    }

    /** The Adestra sink as the config describes it, with the job's retry rule. */
    public AdestraSink adestraSink(MirrorConfig config, Sink<DeadLetter> deadLetters, RetryPolicy retries) {
        AdestraSettings a = config.adestra();
        return AdestraSink.builder()
                .baseUrl(adestraUrl)
                .apiKey(adestraKey)
                .authScheme(a.authScheme())
                .maxConcurrency(a.maxConcurrency())
                .requestTimeout(a.requestTimeout())
                .settleDelay(a.settleDelay())
                .retryPolicy(retries)
                .expectedLists(new HashSet<>(config.activations().values()))
                .deadLetterSink(deadLetters)
                .build();
    }

    /** The Taxonomy sink as the config describes it, with the nightly run's bounded retries. */
    public TaxonomySink taxonomySink(MirrorConfig config, Sink<DeadLetter> deadLetters) {
        return taxonomySink(config, deadLetters, config.taxonomy().boundedRetries());
    }

    /** The Taxonomy sink's settings as the config describes them: for a main that reads the import and sends nothing. */
    public TaxonomySinkConfig taxonomySettings(MirrorConfig config) {
        return taxonomySink(config, new DiscardingSink<>()).config();
    }

    /** The Taxonomy sink as the config describes it, with the job's retry rule. */
    public TaxonomySink taxonomySink(MirrorConfig config, Sink<DeadLetter> deadLetters, RetryPolicy retries) {
        TaxonomySettings t = config.taxonomy();
        return TaxonomySink.builder()
                .baseUrl(taxonomyUrl)
                .apiKey(taxonomyKey)
                .importId(t.importId())
                .batchSize(t.batchSize())
                .linger(t.linger())
                .requestTimeout(t.requestTimeout())
                .settleDelay(t.settleDelay())
                .retryPolicy(retries)
                .deadLetterSink(deadLetters)
                .build();
    }

    /**
     * The Adestra sink's parallelism: at most the job's, and never more subtasks than the
     * account has connections (each subtask needs at least one of them).
     */
    public static int adestraParallelism(MirrorConfig config, int jobParallelism) {
        return Math.max(1, Math.min(jobParallelism, config.adestra().maxConcurrency()));
    }

    public Optional<SandboxServer> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    @Override
    public void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}

package dev.audiencemirror.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * Reads a deployment's YAML into a {@link MirrorConfig}, checking everything up front: unknown
 * keys (typos), types, ranges, URLs, and secrets. Every problem names its key; all are reported
 * together. Secrets are read from the environment or mounted files only, never from the YAML, and
 * here only to check that they can be, those the command uses ({@link SecretUse}).
 * Each section has its reader ({@link AdestraSection}, {@link StreamSection}, ...), which holds
 * its keys and defaults and reads them through {@link Fields}.
 */
public final class ConfigLoader {

    // A key given twice would silently keep the last one: refuse it instead.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    /** For a file with keys given twice: those are reported by {@link DuplicateKeys}, the rest is read as usual. */
    private static final ObjectMapper LENIENT_YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, String> env;

    private final boolean followStreamConfig;

    /** The secrets the command uses: checked readable. */
    private final Set<SecretUse> reads;

    /** More problems found in the config as read, reported with its own. */
    private final Function<MirrorConfig, List<String>> checks;

    /** A loader for a command that uses every secret a config names (as {@code check} does). */
    public ConfigLoader(Map<String, String> env) {
        this(env, true, EnumSet.allOf(SecretUse.class), config -> List.of());
    }

    private ConfigLoader(Map<String, String> env, boolean followStreamConfig, Set<SecretUse> reads,
            Function<MirrorConfig, List<String>> checks) {
        this.env = Map.copyOf(env);
        this.followStreamConfig = followStreamConfig;
        this.reads = Set.copyOf(reads);
        this.checks = checks;
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** This loader for a command that uses only these secrets: the others are not read ({@link SecretUse}). */
    public ConfigLoader reading(Set<SecretUse> uses) {
        return new ConfigLoader(env, followStreamConfig, uses, checks);
    }

    /**
     * This loader, with {@code more} problems of the config as read (e.g. inputs that cannot be
     * read) reported together with the config's own, so that one round shows them all. {@code more}
     * runs on a config that may have problems: it reads what it needs, each value as read (a
     * setting with a problem reads as its default).
     */
    public ConfigLoader alsoChecking(Function<MirrorConfig, List<String>> more) {
        return new ConfigLoader(env, followStreamConfig, reads, more);
    }

    public MirrorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the file: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    public MirrorConfig parse(String yaml, String source) {
        JsonNode root;
        List<String> duplicates;
        try {
            duplicates = DuplicateKeys.in(yaml);
            root = (duplicates.isEmpty() ? YAML : LENIENT_YAML).readTree(yaml);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (msg.startsWith("Duplicate field '")) {
                // The key's name is safe to print; its value (maybe a secret) is not in this message.
                var loc = e.getLocation();
                String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
                String key = msg.substring("Duplicate field '".length(), msg.indexOf('\'', "Duplicate field '".length()));
                throw new ConfigException(source, List.of(key + ": given twice" + where + "; keep one"));
            }
            throw new ConfigException(source, List.of(YamlProblem.of(e)));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("not valid YAML (" + e.getClass().getSimpleName() + ")"));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(source, List.of("the file is empty"));
        }
        if (!root.isObject()) {
            List<String> problems = new ArrayList<>(duplicates);
            problems.add("(root): expected a mapping of keys, found " + Fields.kind(root));
            throw new ConfigException(source, problems);
        }
        Fields fields = Fields.root(root, duplicates, env, reads);
        MirrorConfig config = read(fields, source);
        List<String> problems = new ArrayList<>(fields.finish());
        problems.addAll(checks.apply(config));
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return config;
    }

    private MirrorConfig read(Fields root, String source) {
        String aliasTag = root.string("alias-tag", "adestra");
        if (aliasTag != null && aliasTag.isBlank()) {
            root.problem("alias-tag", "must not be empty");
        }
        SyncMode syncMode = root.syncMode("sync-mode", SyncMode.MIRROR);
        SortedMap<String, Long> activations = ActivationsSection.read(root);
        AdestraSettings adestra = AdestraSection.read(root);
        TaxonomySettings taxonomy = TaxonomySection.read(root, syncMode);
        InputSettings inputs = InputsSection.read(root);
        Optional<KafkaSettings> kafka = KafkaSection.read(root);
        // The streaming job's config as this command uses it: for its Kafka topic of assertions, if any.
        Set<SecretUse> streamReads = reads.contains(SecretUse.STREAM_CONFIG_KAFKA)
                ? EnumSet.of(SecretUse.KAFKA) : EnumSet.noneOf(SecretUse.class);
        NightlySettings nightly = NightlySection.read(root, followStreamConfig
                ? Optional.of(file -> new ConfigLoader(env, false, streamReads, config -> List.of()).load(file))
                : Optional.empty());
        StreamSettings stream = StreamSection.read(root);
        Map<String, String> flink = FlinkSection.read(root);
        nightly.streamJob().ifPresent(job -> ListOwnership.of(activations, job).conflicts().forEach(root::problem));
        nightly.streamJob().flatMap(job -> SharedAdestraAccount.problem(source, adestra, job)).ifPresent(root::problem);
        return new MirrorConfig(source, aliasTag, syncMode, activations, adestra, taxonomy, inputs, kafka, nightly,
                stream, flink);
    }
}

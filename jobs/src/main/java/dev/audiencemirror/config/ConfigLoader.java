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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Reads a deployment's YAML into a {@link MirrorConfig}, checking everything up front: unknown
 * keys (typos), types, ranges, URLs, and secrets. Every problem names its key; all are reported
 * together. Secrets are read from the environment or mounted files only, never from the YAML; an
 * API key is read here only to check that it can be ({@link DestinationFields#apiKey}).
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

    public ConfigLoader(Map<String, String> env) {
        this(env, true);
    }

    private ConfigLoader(Map<String, String> env, boolean followStreamConfig) {
        this.env = Map.copyOf(env);
        this.followStreamConfig = followStreamConfig;
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv());
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
        Fields fields = Fields.root(root, duplicates, env);
        MirrorConfig config = read(fields, source);
        List<String> problems = fields.finish();
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
        NightlySettings nightly = NightlySection.read(root, followStreamConfig
                ? Optional.of(file -> new ConfigLoader(env, false).load(file))
                : Optional.empty());
        StreamSettings stream = StreamSection.read(root);
        Map<String, String> flink = FlinkSection.read(root);
        nightly.streamJob().ifPresent(job -> ListOwnership.of(activations, job).conflicts().forEach(root::problem));
        nightly.streamJob().flatMap(job -> SharedAdestraAccount.problem(source, adestra, job)).ifPresent(root::problem);
        return new MirrorConfig(source, aliasTag, syncMode, activations, adestra, taxonomy, inputs, kafka, nightly,
                stream, flink);
    }
}

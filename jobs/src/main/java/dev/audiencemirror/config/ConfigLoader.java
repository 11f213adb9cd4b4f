package dev.audiencemirror.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.audiencemirror.connector.adestra.AdestraSinkConfig;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.taxonomy.TaxonomySinkConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a deployment's YAML into a {@link MirrorConfig}, checking everything up front: unknown
 * keys (typos), types, ranges, URLs, and secrets. Every problem names its key; all are reported
 * together. Secrets are read from the environment or mounted files only, never from the YAML.
 */
public final class ConfigLoader {

    // A key given twice would silently keep the last one: refuse it instead.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    /** For a file with keys given twice: those are reported by {@link DuplicateKeys}, the rest is read as usual. */
    private static final ObjectMapper LENIENT_YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern IMPORT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

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
            // Jackson's message may quote the offending line; a secret could sit there, so say where only.
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (msg.startsWith("Duplicate field '")) {
                // The key's name is safe to print; its value (maybe a secret) is not in this message.
                String key = msg.substring("Duplicate field '".length(), msg.indexOf('\'', "Duplicate field '".length()));
                throw new ConfigException(source, List.of(key + ": given twice" + where + "; keep one"));
            }
            throw new ConfigException(source, List.of("not valid YAML" + where));
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
        MirrorConfig config = new Reader().read(fields, source);
        List<String> problems = fields.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return config;
    }

    /** One pass over the tree, collecting problems instead of stopping at the first. */
    private final class Reader {

        MirrorConfig read(Fields root, String source) {
            String aliasTag = root.string("alias-tag", "adestra");
            if (aliasTag != null && aliasTag.isBlank()) {
                root.problem("alias-tag", "must not be empty");
            }
            SyncMode syncMode = root.syncMode("sync-mode", SyncMode.MIRROR);
            SortedMap<String, Long> activations = activations(root);
            AdestraSettings adestra = adestra(root.mapping("adestra"));
            TaxonomySettings taxonomy = taxonomy(root.mapping("taxonomy"), syncMode);
            InputSettings inputs = inputs(root.mapping("inputs"));
            Optional<KafkaSettings> kafka = root.has("kafka") ? Optional.of(kafka(root.mapping("kafka"))) : Optional.empty();
            NightlySettings nightly = nightly(root.mapping("nightly"));
            StreamSettings stream = stream(root.mapping("stream"));
            Map<String, String> flink = flink(root);
            nightly.streamJob().ifPresent(job -> ListOwnership.of(activations, job).conflicts().forEach(root::problem));
            return new MirrorConfig(source, aliasTag, syncMode, activations, adestra, taxonomy, inputs, kafka, nightly,
                    stream, flink);
        }

        SortedMap<String, Long> activations(Fields root) {
            SortedMap<String, Long> out = new TreeMap<>();
            JsonNode node = root.value("activations");
            if (node == null) {
                root.problem("activations", "required: map each activated cohort to its Adestra list ID, e.g. \"1001\": 678");
                return out;
            }
            if (!node.isObject()) {
                root.problem("activations", "expected a mapping of cohort to list ID, found " + Fields.kind(node));
                return out;
            }
            Fields cohorts = root.mapping("activations");
            if (node.isEmpty()) {
                root.problem("activations", "no cohort is activated; add at least one \"cohort\": listId");
            }
            for (Map.Entry<String, JsonNode> e : cohorts.entries()) {
                if (e.getKey().isBlank()) {
                    root.problem("activations", "a cohort ID is empty");
                    continue;
                }
                JsonNode v = e.getValue();
                String text = v.isIntegralNumber() || v.isTextual() ? v.asText().strip() : null;
                if (text == null || !NUMERIC_ID.matcher(text).matches()) {
                    cohorts.problem(e.getKey(), "the Adestra list ID must be numeric, found " + Fields.describe(v));
                    continue;
                }
                out.put(e.getKey(), Long.parseLong(text));
            }
            return out;
        }

        AdestraSettings adestra(Fields f) {
            Endpoint url = endpoint(f);
            Optional<Secret> key = apiKey(f, url);
            String scheme = f.string("auth-scheme", AdestraSinkConfig.DEFAULT_AUTH_SCHEME);
            if (scheme != null && !AdestraSinkConfig.AUTH_SCHEME.matcher(scheme).matches()) {
                f.problem("auth-scheme", "must be one word such as TOKEN or Bearer, found '" + scheme + "'");
            }
            int limit = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
            int maxConcurrency = f.integer("max-concurrency", limit, 1, limit,
                    "Adestra allows at most " + limit + " concurrent connections per account");
            Duration timeout = f.duration("request-timeout", Duration.ofSeconds(10));
            int maxAttempts = f.integer("max-attempts", 10, 1, 1000, null);
            Duration maxRetry = f.duration("max-retry-time", Duration.ofMinutes(5));
            Duration maxBackoff = f.duration("max-backoff", Duration.ofSeconds(30));
            return new AdestraSettings(url, key, scheme, maxConcurrency, timeout, maxAttempts, maxRetry, maxBackoff);
        }

        TaxonomySettings taxonomy(Fields f, SyncMode rootMode) {
            Endpoint url = endpoint(f);
            String importId = f.string("import-id", null);
            if (importId == null) {
                f.problem("import-id", "required: the Permutive audience import whose segments are mirrored");
            } else if (!IMPORT_ID.matcher(importId).matches()) {
                f.problem("import-id", "not an import ID (letters, digits, '-' and '_'), found '" + importId + "'");
            }
            Optional<Secret> key = apiKey(f, url);
            SyncMode mode = f.syncMode("sync-mode", rootMode);
            int maxBatch = TaxonomySinkConfig.MAX_BATCH_SIZE;
            int batchSize = f.integer("batch-size", maxBatch, 1, maxBatch,
                    "the Taxonomy API takes at most " + maxBatch + " operations per request");
            Duration linger = f.duration("linger", Duration.ofSeconds(1));
            Duration timeout = f.duration("request-timeout", Duration.ofSeconds(30));
            int maxAttempts = f.integer("max-attempts", 10, 1, 1000, null);
            Duration maxRetry = f.duration("max-retry-time", Duration.ofMinutes(5));
            Duration maxBackoff = f.duration("max-backoff", Duration.ofSeconds(30));
            return new TaxonomySettings(url, importId, key, mode, batchSize, linger, timeout, maxAttempts, maxRetry,
                    maxBackoff);
        }

        InputSettings inputs(Fields f) {
            return new InputSettings(f.location("identities"), f.location("memberships"), f.location("segments"),
                    f.location("events"), f.location("assertions"), f.location("as-of"));
        }

        KafkaSettings kafka(Fields f) {
            String servers = f.string("bootstrap-servers", null);
            if (servers == null || servers.isBlank()) {
                f.problem("bootstrap-servers", "required when kafka is configured, e.g. broker-1:9092,broker-2:9092");
            }
            String groupId = f.string("group-id", "audience-mirror");
            Fields topics = f.mapping("topics");
            String identities = topics.string("identities", null);
            String events = topics.string("events", null);
            if (identities == null) {
                topics.problem("identities", "required: the topic of identity records");
            }
            if (events == null) {
                topics.problem("events", "required: the topic of SegmentEntry/SegmentExit events");
            }
            String segments = topics.string("segments", null);
            String deadLetter = topics.string("dead-letter", null);
            String assertions = topics.string("assertions", null);

            Map<String, String> plain = new LinkedHashMap<>();
            Map<String, Secret> secrets = new LinkedHashMap<>();
            Fields props = f.mapping("properties");
            for (Map.Entry<String, JsonNode> e : props.entries()) {
                String name = e.getKey();
                JsonNode v = e.getValue();
                boolean value = v.isValueNode() && !v.isNull();
                if (v.isObject() || (value && looksSecret(name))) {
                    props.secret(name, "a secret").ifPresent(s -> secrets.put(name, s));
                } else if (value) {
                    plain.put(name, v.asText());
                } else {
                    props.problem(name, "expected a value or {env|file: ...}, found " + Fields.kind(v));
                }
            }
            return new KafkaSettings(servers, groupId, identities, events, segments, deadLetter, assertions, plain, secrets);
        }

        NightlySettings nightly(Fields f) {
            String stateDir = f.location("state-dir").orElse("run/state");
            Path runsDir = f.location("runs-dir").map(Path::of).orElse(Path.of("run", "runs"));
            double reject = f.ratio("reject-threshold", 0.01);
            double removal = f.ratio("max-removal-ratio", 0.5);
            Optional<StreamJobConfig> streamJob = f.location("stream-config")
                    .filter(path -> followStreamConfig)
                    .flatMap(path -> streamJob(Path.of(path), f));
            return new NightlySettings(stateDir, runsDir, reject, removal, streamJob);
        }

        /**
         * The streaming job's own config, read as that job reads it (its own nightly.stream-config is
         * not followed: a deployment may give both jobs one file); it must give the stream an input
         * for the assertions this run hands it.
         */
        Optional<StreamJobConfig> streamJob(Path file, Fields f) {
            String key = f.key("stream-config");
            MirrorConfig stream;
            try {
                stream = new ConfigLoader(env, false).load(file);
            } catch (ConfigException e) {
                e.problems().forEach(problem -> f.problem(key + ": " + file + ": " + problem));
                return Optional.empty();
            }
            boolean kafka = stream.kafka().isPresent();
            if (kafka ? stream.kafka().get().assertionsTopic() == null : stream.inputs().assertions().isEmpty()) {
                f.problem(key + ": " + file + " gives the streaming job no input for this run's assertions ("
                        + (kafka ? "kafka.topics.assertions" : "inputs.assertions, file mode") + "): add one there");
                return Optional.empty();
            }
            return Optional.of(new StreamJobConfig(file.toString(), stream));
        }

        StreamSettings stream(Fields f) {
            StreamSettings d = StreamSettings.defaults();
            Duration window = f.duration("window", d.window());
            if (window.compareTo(Duration.ofMillis(10)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
                f.problem("window", "must be between 10ms and 10m (changes wait this long before they are sent), found "
                        + window.toMillis() + "ms");
                window = d.window();
            }
            Optional<Duration> ttl = f.durationOrOff("user-ttl", Optional.empty(), Duration.ofMinutes(1), "1m");
            String deadLetterDir = f.location("dead-letter-dir").orElse(d.deadLetterDir());
            Duration watch = f.duration("watch-interval", d.watchInterval());
            Optional<Duration> status = f.durationOrOff("status-interval", d.statusInterval(), Duration.ofSeconds(1), "1s");
            return new StreamSettings(window, ttl, deadLetterDir, watch, status);
        }

        Map<String, String> flink(Fields root) {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode node = root.value("flink");
            if (node == null) {
                return out;
            }
            if (!node.isObject()) {
                root.problem("flink", "expected a mapping of Flink configuration keys, found " + Fields.kind(node));
                return out;
            }
            Fields options = root.mapping("flink");
            for (Map.Entry<String, JsonNode> e : options.entries()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    options.problem(e.getKey(), "expected a single value, found " + Fields.kind(e.getValue()));
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        // ---- pieces

        Endpoint endpoint(Fields f) {
            String raw = f.string("base-url", Endpoint.EMBEDDED);
            if (raw == null || Endpoint.EMBEDDED.equals(raw)) {
                return Endpoint.embedded();
            }
            URI uri;
            try {
                uri = new URI(raw);
            } catch (URISyntaxException e) {
                f.problem("base-url", "not a URL: '" + raw + "'");
                return Endpoint.embedded();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                f.problem("base-url", "expected 'embedded' or an https:// URL, found '" + raw + "'");
                return Endpoint.embedded();
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                f.problem("base-url", "must use https:// (the API key would travel in clear); plain http is allowed only for loopback addresses, found host '" + uri.getHost() + "'");
            }
            String normalized = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
            return new Endpoint(normalized, URI.create(normalized));
        }

        Optional<Secret> apiKey(Fields f, Endpoint url) {
            if (f.value("api-key") == null && !url.isEmbedded()) {
                f.problem("api-key", "required for " + url.raw() + ": name where the key is, {env: VARIABLE} or {file: /path/to/mounted/secret}");
            }
            return f.secret("api-key", "an API key");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: no DNS look-up at config time.
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** Property names whose values are credentials in Kafka's client configuration. */
    static boolean looksSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return p.endsWith(".password") || p.equals("sasl.jaas.config") || p.contains("secret")
                || p.endsWith(".key");
    }
}

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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
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
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private static final Set<String> ROOT_KEYS =
            Set.of("alias-tag", "sync-mode", "activations", "adestra", "taxonomy", "inputs", "kafka", "nightly", "stream",
                    "flink");
    private static final Set<String> ADESTRA_KEYS = Set.of(
            "base-url", "api-key", "auth-scheme", "max-concurrency", "request-timeout", "max-attempts", "max-retry-time",
            "max-backoff");
    private static final Set<String> TAXONOMY_KEYS = Set.of(
            "base-url", "import-id", "api-key", "sync-mode", "batch-size", "linger", "request-timeout", "max-attempts",
            "max-retry-time", "max-backoff");
    private static final Set<String> INPUT_KEYS = Set.of("identities", "memberships", "segments", "events", "assertions", "as-of");
    private static final Set<String> KAFKA_KEYS =
            Set.of("bootstrap-servers", "group-id", "topics", "properties");
    private static final Set<String> TOPIC_KEYS = Set.of("identities", "events", "segments", "dead-letter", "assertions");
    private static final Set<String> NIGHTLY_KEYS =
            Set.of("state-dir", "runs-dir", "reject-threshold", "max-removal-ratio", "stream-config");
    private static final Set<String> STREAM_KEYS = Set.of("window", "user-ttl", "dead-letter-dir", "watch-interval", "status-interval");
    private static final Set<String> SECRET_KEYS = Set.of("env", "file");

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
        Reader r = new Reader();
        r.problems.addAll(duplicates);
        MirrorConfig config = r.read(root, source);
        if (!r.problems.isEmpty()) {
            throw new ConfigException(source, r.problems);
        }
        return config;
    }

    /** One pass over the tree, collecting problems instead of stopping at the first. */
    private final class Reader {
        final List<String> problems = new ArrayList<>();

        MirrorConfig read(JsonNode root, String source) {
            if (!root.isObject()) {
                problems.add("(root): expected a mapping of keys, found " + kind(root));
                return null;
            }
            knownKeys(root, "", ROOT_KEYS);
            String aliasTag = string(root, "alias-tag", "alias-tag", "adestra");
            if (aliasTag != null && aliasTag.isBlank()) {
                problems.add("alias-tag: must not be empty");
            }
            SyncMode syncMode = syncMode(root, "sync-mode", "sync-mode", SyncMode.MIRROR);
            SortedMap<String, Long> activations = activations(root.get("activations"));
            AdestraSettings adestra = adestra(object(root, "adestra", "adestra"));
            TaxonomySettings taxonomy = taxonomy(object(root, "taxonomy", "taxonomy"), syncMode);
            InputSettings inputs = inputs(object(root, "inputs", "inputs"));
            Optional<KafkaSettings> kafka = root.has("kafka") ? Optional.ofNullable(kafka(object(root, "kafka", "kafka"))) : Optional.empty();
            NightlySettings nightly = nightly(object(root, "nightly", "nightly"));
            StreamSettings stream = stream(object(root, "stream", "stream"));
            Map<String, String> flink = flink(root.get("flink"));
            nightly.streamJob().ifPresent(job -> problems.addAll(ListOwnership.of(activations, job).conflicts()));
            return new MirrorConfig(source, aliasTag, syncMode, activations, adestra, taxonomy, inputs, kafka, nightly,
                    stream, flink);
        }

        SortedMap<String, Long> activations(JsonNode node) {
            SortedMap<String, Long> out = new TreeMap<>();
            if (node == null || node.isNull()) {
                problems.add("activations: required: map each activated cohort to its Adestra list ID, e.g. \"1001\": 678");
                return out;
            }
            if (!node.isObject()) {
                problems.add("activations: expected a mapping of cohort to list ID, found " + kind(node));
                return out;
            }
            if (node.isEmpty()) {
                problems.add("activations: no cohort is activated; add at least one \"cohort\": listId");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                String key = "activations." + e.getKey();
                if (e.getKey().isBlank()) {
                    problems.add("activations: a cohort ID is empty");
                    continue;
                }
                JsonNode v = e.getValue();
                String text = v.isIntegralNumber() || v.isTextual() ? v.asText().strip() : null;
                if (text == null || !NUMERIC_ID.matcher(text).matches()) {
                    problems.add(key + ": the Adestra list ID must be numeric, found " + describeValue(v));
                    continue;
                }
                out.put(e.getKey(), Long.parseLong(text));
            }
            return out;
        }

        AdestraSettings adestra(JsonNode node) {
            String p = "adestra";
            knownKeys(node, p, ADESTRA_KEYS);
            Endpoint url = endpoint(node, p);
            Optional<Secret> key = apiKey(node, p, url);
            String scheme = string(node, "auth-scheme", p + ".auth-scheme", AdestraSinkConfig.DEFAULT_AUTH_SCHEME);
            if (scheme != null && !AdestraSinkConfig.AUTH_SCHEME.matcher(scheme).matches()) {
                problems.add(p + ".auth-scheme: must be one word such as TOKEN or Bearer, found '" + scheme + "'");
            }
            int limit = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
            int maxConcurrency = integer(node, "max-concurrency", p + ".max-concurrency", limit, 1, limit,
                    "Adestra allows at most " + limit + " concurrent connections per account");
            Duration timeout = duration(node, "request-timeout", p + ".request-timeout", Duration.ofSeconds(10));
            int maxAttempts = integer(node, "max-attempts", p + ".max-attempts", 10, 1, 1000, null);
            Duration maxRetry = duration(node, "max-retry-time", p + ".max-retry-time", Duration.ofMinutes(5));
            Duration maxBackoff = duration(node, "max-backoff", p + ".max-backoff", Duration.ofSeconds(30));
            return new AdestraSettings(url, key, scheme, maxConcurrency, timeout, maxAttempts, maxRetry, maxBackoff);
        }

        TaxonomySettings taxonomy(JsonNode node, SyncMode rootMode) {
            String p = "taxonomy";
            knownKeys(node, p, TAXONOMY_KEYS);
            Endpoint url = endpoint(node, p);
            String importId = string(node, "import-id", p + ".import-id", null);
            if (importId == null) {
                problems.add(p + ".import-id: required: the Permutive audience import whose segments are mirrored");
            } else if (!IMPORT_ID.matcher(importId).matches()) {
                problems.add(p + ".import-id: not an import ID (letters, digits, '-' and '_'), found '" + importId + "'");
            }
            Optional<Secret> key = apiKey(node, p, url);
            SyncMode mode = syncMode(node, "sync-mode", p + ".sync-mode", rootMode);
            int maxBatch = TaxonomySinkConfig.MAX_BATCH_SIZE;
            int batchSize = integer(node, "batch-size", p + ".batch-size", maxBatch, 1, maxBatch,
                    "the Taxonomy API takes at most " + maxBatch + " operations per request");
            Duration linger = duration(node, "linger", p + ".linger", Duration.ofSeconds(1));
            Duration timeout = duration(node, "request-timeout", p + ".request-timeout", Duration.ofSeconds(30));
            int maxAttempts = integer(node, "max-attempts", p + ".max-attempts", 10, 1, 1000, null);
            Duration maxRetry = duration(node, "max-retry-time", p + ".max-retry-time", Duration.ofMinutes(5));
            Duration maxBackoff = duration(node, "max-backoff", p + ".max-backoff", Duration.ofSeconds(30));
            return new TaxonomySettings(url, importId, key, mode, batchSize, linger, timeout, maxAttempts, maxRetry,
                    maxBackoff);
        }

        InputSettings inputs(JsonNode node) {
            knownKeys(node, "inputs", INPUT_KEYS);
            return new InputSettings(
                    location(node, "identities", "inputs.identities"),
                    location(node, "memberships", "inputs.memberships"),
                    location(node, "segments", "inputs.segments"),
                    location(node, "events", "inputs.events"),
                    location(node, "assertions", "inputs.assertions"),
                    location(node, "as-of", "inputs.as-of"));
        }

        KafkaSettings kafka(JsonNode node) {
            String p = "kafka";
            knownKeys(node, p, KAFKA_KEYS);
            String servers = string(node, "bootstrap-servers", p + ".bootstrap-servers", null);
            if (servers == null || servers.isBlank()) {
                problems.add(p + ".bootstrap-servers: required when kafka is configured, e.g. broker-1:9092,broker-2:9092");
            }
            String groupId = string(node, "group-id", p + ".group-id", "audience-mirror");
            JsonNode topics = object(node, "topics", p + ".topics");
            knownKeys(topics, p + ".topics", TOPIC_KEYS);
            String identities = string(topics, "identities", p + ".topics.identities", null);
            String events = string(topics, "events", p + ".topics.events", null);
            if (identities == null) {
                problems.add(p + ".topics.identities: required: the topic of identity records");
            }
            if (events == null) {
                problems.add(p + ".topics.events: required: the topic of SegmentEntry/SegmentExit events");
            }
            String segments = string(topics, "segments", p + ".topics.segments", null);
            String deadLetter = string(topics, "dead-letter", p + ".topics.dead-letter", null);
            String assertions = string(topics, "assertions", p + ".topics.assertions", null);

            Map<String, String> plain = new LinkedHashMap<>();
            Map<String, Secret> secrets = new LinkedHashMap<>();
            JsonNode props = object(node, "properties", p + ".properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                var e = it.next();
                String key = p + ".properties." + e.getKey();
                JsonNode v = e.getValue();
                if (v.isObject()) {
                    secret(v, key).ifPresent(s -> secrets.put(e.getKey(), s));
                } else if (v.isValueNode() && !v.isNull()) {
                    if (looksSecret(e.getKey())) {
                        problems.add(key + ": a secret must not be written into the config file; use {env: VARIABLE} or {file: /path/to/mounted/secret}");
                    } else {
                        plain.put(e.getKey(), v.asText());
                    }
                } else {
                    problems.add(key + ": expected a value or {env|file: ...}, found " + kind(v));
                }
            }
            return new KafkaSettings(servers, groupId, identities, events, segments, deadLetter, assertions, plain, secrets);
        }

        NightlySettings nightly(JsonNode node) {
            String p = "nightly";
            knownKeys(node, p, NIGHTLY_KEYS);
            String stateDir = location(node, "state-dir", p + ".state-dir").orElse("run/state");
            Path runsDir = location(node, "runs-dir", p + ".runs-dir").map(Path::of).orElse(Path.of("run", "runs"));
            double reject = ratio(node, "reject-threshold", p + ".reject-threshold", 0.01);
            double removal = ratio(node, "max-removal-ratio", p + ".max-removal-ratio", 0.5);
            Optional<StreamJobConfig> streamJob = location(node, "stream-config", p + ".stream-config")
                    .filter(path -> followStreamConfig)
                    .flatMap(path -> streamJob(Path.of(path), p + ".stream-config"));
            return new NightlySettings(stateDir, runsDir, reject, removal, streamJob);
        }

        /**
         * The streaming job's own config, read as that job reads it (its own nightly.stream-config is
         * not followed: a deployment may give both jobs one file); it must give the stream an input
         * for the assertions this run hands it.
         */
        Optional<StreamJobConfig> streamJob(Path file, String key) {
            MirrorConfig stream;
            try {
                stream = new ConfigLoader(env, false).load(file);
            } catch (ConfigException e) {
                e.problems().forEach(problem -> problems.add(key + ": " + file + ": " + problem));
                return Optional.empty();
            }
            boolean kafka = stream.kafka().isPresent();
            if (kafka ? stream.kafka().get().assertionsTopic() == null : stream.inputs().assertions().isEmpty()) {
                problems.add(key + ": " + file + " gives the streaming job no input for this run's assertions ("
                        + (kafka ? "kafka.topics.assertions" : "inputs.assertions, file mode") + "): add one there");
                return Optional.empty();
            }
            return Optional.of(new StreamJobConfig(file.toString(), stream));
        }

        StreamSettings stream(JsonNode node) {
            String p = "stream";
            knownKeys(node, p, STREAM_KEYS);
            StreamSettings d = StreamSettings.defaults();
            Duration window = duration(node, "window", p + ".window", d.window());
            if (window.compareTo(Duration.ofMillis(10)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
                problems.add(p + ".window: must be between 10ms and 10m (changes wait this long before they are sent), found "
                        + window.toMillis() + "ms");
                window = d.window();
            }
            Optional<Duration> ttl = durationOrOff(node, "user-ttl", p + ".user-ttl", Optional.empty(), Duration.ofMinutes(1), "1m");
            String deadLetterDir = location(node, "dead-letter-dir", p + ".dead-letter-dir").orElse(d.deadLetterDir());
            Duration watch = duration(node, "watch-interval", p + ".watch-interval", d.watchInterval());
            Optional<Duration> status = durationOrOff(node, "status-interval", p + ".status-interval", d.statusInterval(),
                    Duration.ofSeconds(1), "1s");
            return new StreamSettings(window, ttl, deadLetterDir, watch, status);
        }

        /** A duration of at least {@code min}, or {@code off} (empty); {@code dflt} when absent. */
        Optional<Duration> durationOrOff(JsonNode node, String field, String key, Optional<Duration> dflt, Duration min,
                String minText) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return dflt;
            }
            // YAML reads a bare `off` as the boolean false: both mean off.
            if ((value.isBoolean() && !value.asBoolean()) || (value.isTextual() && value.asText().strip().equals("off"))) {
                return Optional.empty();
            }
            Duration t = duration(node, field, key, null);
            if (t != null && t.compareTo(min) < 0) {
                problems.add(key + ": must be at least " + minText + ", or off; found " + t.toMillis() + "ms");
                return dflt;
            }
            return Optional.ofNullable(t).or(() -> dflt);
        }

        Map<String, String> flink(JsonNode node) {
            Map<String, String> out = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return out;
            }
            if (!node.isObject()) {
                problems.add("flink: expected a mapping of Flink configuration keys, found " + kind(node));
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problems.add("flink." + e.getKey() + ": expected a single value, found " + kind(e.getValue()));
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
            return out;
        }

        // ---- pieces

        Endpoint endpoint(JsonNode node, String p) {
            String key = p + ".base-url";
            String raw = string(node, "base-url", key, Endpoint.EMBEDDED);
            if (raw == null || Endpoint.EMBEDDED.equals(raw)) {
                return Endpoint.embedded();
            }
            URI uri;
            try {
                uri = new URI(raw);
            } catch (URISyntaxException e) {
                problems.add(key + ": not a URL: '" + raw + "'");
                return Endpoint.embedded();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                problems.add(key + ": expected 'embedded' or an https:// URL, found '" + raw + "'");
                return Endpoint.embedded();
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                problems.add(key + ": must use https:// (the API key would travel in clear); plain http is allowed only for loopback addresses, found host '" + uri.getHost() + "'");
            }
            String normalized = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
            return new Endpoint(normalized, URI.create(normalized));
        }

        Optional<Secret> apiKey(JsonNode node, String p, Endpoint url) {
            String key = p + ".api-key";
            JsonNode v = node.get("api-key");
            if (v == null || v.isNull()) {
                if (!url.isEmbedded()) {
                    problems.add(key + ": required for " + url.raw() + ": name where the key is, {env: VARIABLE} or {file: /path/to/mounted/secret}");
                }
                return Optional.empty();
            }
            if (!v.isObject()) {
                problems.add(key + ": an API key must not be written into the config file; use {env: VARIABLE} or {file: /path/to/mounted/secret}");
                return Optional.empty();
            }
            return secret(v, key);
        }

        Optional<Secret> secret(JsonNode v, String key) {
            knownKeys(v, key, SECRET_KEYS);
            boolean hasEnv = v.hasNonNull("env");
            boolean hasFile = v.hasNonNull("file");
            if (hasEnv == hasFile) {
                problems.add(key + ": give exactly one of {env: VARIABLE} or {file: /path}");
                return Optional.empty();
            }
            SecretRef ref = hasEnv
                    ? new SecretRef(SecretRef.Kind.ENV, v.get("env").asText())
                    : new SecretRef(SecretRef.Kind.FILE, v.get("file").asText());
            try {
                return Optional.of(ref.resolve(env));
            } catch (RuntimeException e) {
                problems.add(key + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        SyncMode syncMode(JsonNode node, String field, String key, SyncMode dflt) {
            String raw = string(node, field, key, null);
            if (raw == null) {
                return dflt;
            }
            return SyncMode.fromConfigName(raw).orElseGet(() -> {
                problems.add(key + ": unknown sync mode '" + raw + "'; expected one of add, remove, mirror, upsert");
                return dflt;
            });
        }

        JsonNode object(JsonNode parent, String field, String key) {
            JsonNode v = parent.get(field);
            if (v == null || v.isNull()) {
                return YAML.createObjectNode();
            }
            if (!v.isObject()) {
                problems.add(key + ": expected a mapping of keys, found " + kind(v));
                return YAML.createObjectNode();
            }
            return v;
        }

        void knownKeys(JsonNode node, String path, Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!known.contains(name)) {
                    problems.add((path.isEmpty() ? "" : path + ".") + name + ": unknown key; expected one of "
                            + String.join(", ", new TreeSet<>(known)));
                }
            }
        }

        String string(JsonNode node, String field, String key, String dflt) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isValueNode()) {
                problems.add(key + ": expected a single value, found " + kind(v));
                return dflt;
            }
            return v.asText().strip();
        }

        int integer(JsonNode node, String field, String key, int dflt, int min, int max, String why) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isIntegralNumber()) {
                problems.add(key + ": expected a whole number, found " + describeValue(v));
                return dflt;
            }
            long n = v.asLong();
            if (n < min || n > max) {
                problems.add(key + ": must be between " + min + " and " + max + ", found " + n + (why == null ? "" : " (" + why + ")"));
                return dflt;
            }
            return (int) n;
        }

        double ratio(JsonNode node, String field, String key, double dflt) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
                problems.add(key + ": expected a fraction between 0 and 1 (0.01 = 1%), found " + describeValue(v));
                return dflt;
            }
            return v.asDouble();
        }

        Duration duration(JsonNode node, String field, String key, Duration dflt) {
            String raw = string(node, field, key, null);
            if (raw == null) {
                return dflt;
            }
            var m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                problems.add(key + ": expected a duration such as 500ms, 10s, 5m or 1h, found '" + raw + "'");
                return dflt;
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (d.isZero()) {
                problems.add(key + ": must be greater than zero");
                return dflt;
            }
            return d;
        }

        Optional<String> location(JsonNode node, String field, String key) {
            String raw = string(node, field, key, null);
            if (raw == null) {
                return Optional.empty();
            }
            if (raw.isBlank()) {
                problems.add(key + ": must not be empty");
                return Optional.empty();
            }
            return Optional.of(raw);
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

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return v.isNull() ? "nothing" : "text";
    }

    private static String describeValue(JsonNode v) {
        return v.isValueNode() ? kind(v) + " '" + v.asText() + "'" : kind(v);
    }
}

package dev.audiencemirror.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.audiencemirror.connector.common.SecretRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed values out of one YAML mapping of a config file. Problems are collected as {@code key:
 * problem} instead of stopping at the first, and a value with a problem reads as its default.
 *
 * <p>The keys a mapping takes are the ones its reader asks for; any other key is a typo, reported
 * by {@link #finish()} with the keys the mapping takes, at the place where the mapping starts. So
 * a reader asks for each of its keys on every path, even one whose value it then does not use.
 */
final class Fields {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** What all mappings of one file share. */
    private record File(List<String> problems, Map<String, String> env, Set<SecretUse> reads, List<Fields> mappings) {}

    private final File file;
    private final JsonNode node;
    private final String path;
    /** Where this mapping's unknown keys go in the problems: where it starts. */
    private final int mark;
    private final Set<String> asked = new HashSet<>();
    private boolean anyKey;

    private Fields(File file, JsonNode node, String path) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.mark = file.problems.size();
        file.mappings.add(this);
    }

    /**
     * The file's top mapping.
     *
     * @param problems found before reading (keys given twice), reported first
     * @param env where {@code {env: VARIABLE}} secrets are looked up
     * @param reads the secrets the command uses, checked readable; the others are only checked well named
     */
    static Fields root(JsonNode node, List<String> problems, Map<String, String> env, Set<SecretUse> reads) {
        return new Fields(new File(new ArrayList<>(problems), env, Set.copyOf(reads), new ArrayList<>()), node, "");
    }

    /** Every problem in the file, unknown keys included, in the order the file reads; call once, on the root. */
    List<String> finish() {
        // Latest first, so that each insert leaves the earlier marks where they are.
        for (int i = file.mappings.size() - 1; i >= 0; i--) {
            Fields m = file.mappings.get(i);
            if (m.anyKey) {
                continue;
            }
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> it = m.node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!m.asked.contains(name)) {
                    unknown.add(m.key(name) + ": unknown key; expected one of " + String.join(", ", new TreeSet<>(m.asked)));
                }
            }
            file.problems.addAll(m.mark, unknown);
        }
        return file.problems;
    }

    /** The full key of one of this mapping's fields, e.g. {@code kafka.topics.events}. */
    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    void problem(String name, String text) {
        file.problems.add(key(name) + ": " + text);
    }

    /** A problem already in {@code key: problem} form. */
    void problem(String problem) {
        file.problems.add(problem);
    }

    /** Whether the key is in the mapping, even with no value ({@code kafka:} alone). */
    boolean has(String name) {
        asked.add(name);
        return node.has(name);
    }

    /** The field's raw value; null when it is absent or null. */
    JsonNode value(String name) {
        asked.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /**
     * A setting's value; null when it is absent. A key given with no value ({@code max-concurrency:}
     * alone) is a problem, not its default: the file says something was meant there. (A section
     * with no keys, {@code stream:} alone, is only empty: {@link #mapping}.)
     */
    private JsonNode given(String name) {
        asked.add(name);
        JsonNode v = node.get(name);
        if (v != null && v.isNull()) {
            problem(name, "no value after the colon; give one, or remove the key for its default");
            return null;
        }
        return v;
    }

    /** This mapping's fields, for a mapping whose keys are the user's (cohorts, client properties): any key is known. */
    Iterable<Map.Entry<String, JsonNode>> entries() {
        anyKey = true;
        return node::fields;
    }

    /** A nested mapping; an empty one when absent or not a mapping. */
    Fields mapping(String name) {
        JsonNode v = value(name);
        if (v != null && !v.isObject()) {
            problem(name, "expected a mapping of keys, found " + kind(v));
            v = null;
        }
        return new Fields(file, v == null ? JsonNodeFactory.instance.objectNode() : v, key(name));
    }

    String string(String name, String dflt) {
        JsonNode v = given(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isValueNode()) {
            problem(name, "expected a single value, found " + kind(v));
            return dflt;
        }
        return v.asText().strip();
    }

    /** A setting without a default: null, with a problem saying why it is needed, when absent (or empty). */
    String required(String name, String why) {
        boolean present = node.has(name);
        String v = string(name, null);
        if (v == null && !present || v != null && v.isBlank()) {
            problem(name, "required: " + why);
            return null;
        }
        return v;
    }

    int integer(String name, int dflt, int min, int max, String why) {
        JsonNode v = given(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            problem(name, "expected a whole number, found " + describe(v));
            return dflt;
        }
        long n = v.asLong();
        if (n < min || n > max) {
            problem(name, "must be between " + min + " and " + max + ", found " + n + (why == null ? "" : " (" + why + ")"));
            return dflt;
        }
        return (int) n;
    }

    double ratio(String name, double dflt) {
        JsonNode v = given(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            problem(name, "expected a fraction between 0 and 1 (0.01 = 1%), found " + describe(v));
            return dflt;
        }
        return v.asDouble();
    }

    Duration duration(String name, Duration dflt) {
        String raw = string(name, null);
        if (raw == null) {
            return dflt;
        }
        var m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            problem(name, "expected a duration such as 500ms, 10s, 5m or 1h, found '" + raw + "'");
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
            problem(name, "must be greater than zero");
            return dflt;
        }
        return d;
    }

    /** A duration of at least {@code min}, or {@code off} (empty); {@code dflt} when absent. */
    Optional<Duration> durationOrOff(String name, Optional<Duration> dflt, Duration min, String minText) {
        JsonNode value = given(name);
        if (value == null) {
            return dflt;
        }
        // YAML reads a bare `off` as the boolean false: both mean off.
        if ((value.isBoolean() && !value.asBoolean()) || (value.isTextual() && value.asText().strip().equals("off"))) {
            return Optional.empty();
        }
        Duration t = duration(name, null);
        if (t != null && t.compareTo(min) < 0) {
            problem(name, "must be at least " + minText + ", or off; found " + t.toMillis() + "ms");
            return dflt;
        }
        return Optional.ofNullable(t).or(() -> dflt);
    }

    /** A file or folder, as given: a local path or a URI Flink's file systems understand. */
    Optional<String> location(String name) {
        String raw = string(name, null);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.isBlank()) {
            problem(name, "must not be empty");
            return Optional.empty();
        }
        return Optional.of(raw);
    }

    SyncMode syncMode(String name, SyncMode dflt) {
        String raw = string(name, null);
        if (raw == null) {
            return dflt;
        }
        return SyncMode.fromConfigName(raw).orElseGet(() -> {
            problem(name, "unknown sync mode '" + raw + "'; expected one of add, remove, mirror, upsert");
            return dflt;
        });
    }

    /** Where a secret is, as the file names it: {@code {env: VARIABLE}} or {@code {file: /path}}. */
    record Reference(boolean env, String where) {
        SecretRef ref() {
            return env ? SecretRef.env(where) : SecretRef.file(where);
        }
    }

    /**
     * Where a secret is, named by {@code {env: VARIABLE}} or {@code {file: /path}}: empty when
     * absent or malformed. The reference is what a job carries; its TaskManagers read the secret
     * themselves. It is read here too, to check it can be, when the command this config is loaded
     * for uses it ({@link #reads}); a problem then names the key and the reference. A value written
     * in its place is refused ({@link SecretPolicy}).
     *
     * @param what what the secret is, for the problem, e.g. {@code an API key}
     */
    Optional<SecretRef> secretRef(String name, String what, SecretUse use) {
        Optional<SecretRef> ref = reference(name, what).map(Reference::ref);
        if (ref.isPresent() && reads(use)) {
            try {
                ref.get().resolve(file.env);
            } catch (RuntimeException e) {
                problem(name, e.getMessage());
            }
        }
        return ref;
    }

    /** Whether the command this config is loaded for uses the secrets of {@code use}: those are checked readable. */
    boolean reads(SecretUse use) {
        return file.reads.contains(use);
    }

    /** Where {@code {env: VARIABLE}} secrets are looked up. */
    Map<String, String> env() {
        return file.env;
    }

    /** The secret's reference as the file gives it, not read; empty (with a problem) when it is not one. */
    Optional<Reference> reference(String name, String what) {
        JsonNode v = given(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            problem(name, SecretPolicy.writtenInline(what));
            return Optional.empty();
        }
        Fields ref = mapping(name);
        boolean hasEnv = ref.value("env") != null;
        boolean hasFile = ref.value("file") != null;
        if (hasEnv == hasFile) {
            problem(name, "give exactly one of {env: VARIABLE} or {file: /path}");
            return Optional.empty();
        }
        String where = (hasEnv ? ref.value("env") : ref.value("file")).asText();
        if (where.isBlank()) {
            problem(name, (hasEnv ? "env" : "file") + " must not be empty");
            return Optional.empty();
        }
        return Optional.of(new Reference(hasEnv, where));
    }

    static String kind(JsonNode v) {
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

    /** The value's kind, and the value itself when it is a single one. */
    static String describe(JsonNode v) {
        return v.isValueNode() ? kind(v) + " '" + v.asText() + "'" : kind(v);
    }
}

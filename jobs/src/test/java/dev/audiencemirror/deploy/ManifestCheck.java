package dev.audiencemirror.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.audiencemirror.cli.MirrorCli;
import dev.audiencemirror.config.ConfigException;
import dev.audiencemirror.config.ConfigLoader;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.ConfigOption;

/**
 * Checks that the deployment files refer only to what exists, and lists every problem:
 *
 * <ul>
 *   <li>every YAML file under k8s/ and conf/ parses; kustomizations list files that exist;
 *   <li>every Java class named (entry class, reporter factory) loads;
 *   <li>every Flink key (conf/config.yaml, conf/local-cluster/config.yaml, the FlinkDeployments'
 *       flinkConfiguration, the job configs' {@code flink:} maps) is a ConfigOption of Flink 2.2,
 *       found by reflection over Flink's *Options classes (plus a short curated list for keys of
 *       the Prometheus reporter and the operator); the streaming FlinkDeployment carries
 *       conf/config.yaml unchanged;
 *   <li>the job jar path is where the Dockerfile copies the jar, and the Dockerfile copies the jar
 *       the build makes;
 *   <li>for each container that runs the job's main (the streaming JobManager, the nightly
 *       CronJob's client): the {@code --config} file is a key of a mounted ConfigMap, it loads with
 *       the project's ConfigLoader given exactly the env vars and secret files that container has,
 *       every {@code {env: X}} and {@code {file: P}} is provided from the Secret template's keys;
 *   <li>every secret file a job config reads is mounted, and every secret variable set, on the
 *       TaskManagers that run its sinks and Kafka clients too (the streaming deployment's, the
 *       nightly session's): they read the secrets themselves;
 *   <li>the nightly run's folder is mounted in the client and in the session's TaskManagers;
 *   <li>the Secret template has no values; every overlay sets the streaming job's storage paths.
 * </ul>
 *
 * With kubectl ({@link #run(Path, Path)}), the same checks of the containers run on what
 * {@code kubectl kustomize k8s/overlays/<env>} renders, plus what only the rendering shows: every
 * resource in the overlay's namespace and running the overlay's image, the ConfigMaps mounted by
 * the names they are rendered with and holding their files, the dashboard's ConfigMap with
 * Grafana's sidecar label, the claims mounted exist, the CronJob's concurrencyPolicy Forbid, the
 * streaming job's Flink keys known, conf/config.yaml unchanged and the overlay's own storage paths.
 */
final class ManifestCheck {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern CLASS_NAME = Pattern.compile("^(dev\\.audiencemirror|org\\.apache\\.flink)(\\.[a-z0-9_]+)+\\.[A-Z]\\w*$");
    private static final Pattern ENV_REF = Pattern.compile("\\{\\s*env:\\s*([^}\\s]+)\\s*}");
    private static final Pattern FILE_REF = Pattern.compile("\\{\\s*file:\\s*([^}\\s]+)\\s*}");
    /** Keys outside Flink's ConfigOption classes, checked by hand: reporter-specific and operator settings. */
    private static final Set<String> REPORTER_SUFFIXES = Set.of("port", "factory.class", "interval", "filter.includes",
            "filter.excludes", "scope.delimiter", "scope.variables.excludes", "scope.variables.additional");
    private static final Set<String> OPERATOR_KEYS = Set.of("kubernetes.operator.periodic.savepoint.interval",
            "kubernetes.operator.savepoint.history.max.count");
    private static final Set<String> STREAM_PATH_KEYS = Set.of("execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir", "high-availability.storageDir");

    private final Path root;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> checked = new LinkedHashSet<>();
    private final Map<String, Set<String>> flinkKeys = new HashMap<>();
    /** kind/name -> document, from k8s/base. */
    private final Map<String, JsonNode> resources = new LinkedHashMap<>();
    /** ConfigMap name -> key -> text, of the base's configMapGenerator. */
    private final Map<String, Map<String, String>> configMaps = new TreeMap<>();
    private Set<String> secretKeys = Set.of();
    private String secretName;
    private String jarInImage;

    private ManifestCheck(Path root) {
        this.root = root;
    }

    static ManifestCheck run(Path root) throws IOException {
        ManifestCheck c = new ManifestCheck(root);
        c.knownFlinkKeys();
        c.parseEverything();
        c.dockerfile();
        c.secretTemplate();
        c.kustomizations();
        c.flinkConfigs();
        c.classNames();
        Deployment base = new Deployment("k8s", c.resources, c.configMaps);
        c.streamDeployment(base);
        c.nightly(base);
        return c;
    }

    /**
     * All of the above, and for every overlay what {@code kubectl kustomize} renders of it: the
     * same checks of the containers that run the main on the rendered resources, and images,
     * namespace, storage paths, the CronJob's concurrency policy and the dashboard's ConfigMap.
     */
    static ManifestCheck run(Path root, Path kubectl) throws IOException {
        ManifestCheck c = run(root);
        try (Stream<Path> overlays = Files.list(root.resolve("k8s/overlays"))) {
            for (Path overlay : overlays.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).sorted().toList()) {
                c.rendered(kubectl, overlay);
            }
        }
        return c;
    }

    /** kubectl on the PATH, if there is one. */
    static java.util.Optional<Path> kubectlOnPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "kubectl")).filter(Files::isExecutable).findFirst();
    }

    /** What the checks of the containers look at: the resources and the ConfigMaps they can mount. */
    private record Deployment(String label, Map<String, JsonNode> resources, Map<String, Map<String, String>> configMaps) {
    }

    List<String> problems() {
        return problems;
    }

    Set<String> checked() {
        return checked;
    }

    private void problem(String where, String what) {
        problems.add(where + ": " + what);
    }

    // ---------------------------------------------------------------- parsing

    private final Map<Path, List<JsonNode>> documents = new TreeMap<>();

    private void parseEverything() throws IOException {
        List<Path> files;
        try (Stream<Path> k8s = Files.walk(root.resolve("k8s")); Stream<Path> conf = Files.walk(root.resolve("conf"))) {
            files = Stream.concat(k8s, conf).filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path f : files) {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                List<JsonNode> docs = new ArrayList<>();
                while (it.hasNext()) {
                    JsonNode d = it.next();
                    if (d != null && !d.isNull() && !d.isMissingNode()) {
                        docs.add(d);
                    }
                }
                documents.put(f, docs);
            } catch (IOException | RuntimeException e) {
                problem(rel(f), "not valid YAML: " + e.getMessage());
            }
        }
        for (var e : documents.entrySet()) {
            Path f = e.getKey();
            if (f.startsWith(root.resolve("k8s/base")) && !f.startsWith(root.resolve("k8s/base/config"))) {
                for (JsonNode d : e.getValue()) {
                    if (d.has("kind") && d.has("metadata")) {
                        resources.put(d.get("kind").asText() + "/" + d.path("metadata").path("name").asText(), d);
                    }
                }
            }
        }
    }

    private String rel(Path p) {
        return root.relativize(p).toString();
    }

    private List<JsonNode> docs(String relPath) {
        return documents.getOrDefault(root.resolve(relPath), List.of());
    }

    // ---------------------------------------------------------------- Dockerfile

    private void dockerfile() throws IOException {
        Path docker = root.resolve("Dockerfile");
        String text = Files.readString(docker);
        Map<String, String> args = new HashMap<>();
        Matcher arg = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)").matcher(text);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        String from = args.getOrDefault("FLINK_IMAGE", "");
        if (!from.matches("flink:2\\.2(\\.\\d+)?(-scala_2\\.12)?-java17")) {
            problem("Dockerfile", "base image " + from + " is not the official Flink 2.2 Java 17 image");
        }
        Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) (/opt/flink/usrlib/\\S+)$").matcher(text);
        if (!copy.find()) {
            problem("Dockerfile", "no COPY of the job jar to /opt/flink/usrlib");
            return;
        }
        String source = copy.group(1);
        for (var a : args.entrySet()) {
            source = source.replace("${" + a.getKey() + "}", a.getValue());
        }
        String built = "jobs/target/audience-mirror-jobs-" + projectVersion() + ".jar";
        if (!source.equals(built)) {
            problem("Dockerfile", "copies " + source + ", but the build makes " + built);
        }
        jarInImage = copy.group(2);
        checked.add("jar " + jarInImage);
    }

    private String projectVersion() {
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
            var children = doc.getDocumentElement().getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i).getNodeName().equals("version")) {
                    return children.item(i).getTextContent().trim();
                }
            }
        } catch (Exception e) {
            problem("pom.xml", "unreadable: " + e);
        }
        return "?";
    }

    // ---------------------------------------------------------------- Secret template

    private void secretTemplate() {
        List<JsonNode> docs = docs("k8s/secret.template.yaml");
        if (docs.size() != 1 || !docs.get(0).path("kind").asText().equals("Secret")) {
            problem("k8s/secret.template.yaml", "expected one Secret");
            return;
        }
        JsonNode secret = docs.get(0);
        secretName = secret.path("metadata").path("name").asText();
        Set<String> keys = new TreeSet<>();
        for (String field : List.of("stringData", "data")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = secret.path(field).fields(); it.hasNext(); ) {
                var e = it.next();
                keys.add(e.getKey());
                if (!e.getValue().asText().isEmpty()) {
                    problem("k8s/secret.template.yaml", e.getKey() + " has a value: a template holds none");
                }
            }
        }
        secretKeys = keys;
    }

    // ---------------------------------------------------------------- kustomize

    private void kustomizations() throws IOException {
        for (var e : documents.entrySet()) {
            if (!e.getKey().getFileName().toString().equals("kustomization.yaml") || e.getValue().isEmpty()) {
                continue;
            }
            JsonNode k = e.getValue().get(0);
            Path dir = e.getKey().getParent();
            String where = rel(e.getKey());
            for (JsonNode r : k.path("resources")) {
                Path p = dir.resolve(r.asText()).normalize();
                if (!Files.exists(p)) {
                    problem(where, "resource " + r.asText() + " does not exist");
                }
            }
            for (JsonNode p : k.path("patches")) {
                if (p.has("path") && !Files.exists(dir.resolve(p.get("path").asText()))) {
                    problem(where, "patch " + p.get("path").asText() + " does not exist");
                }
            }
            for (JsonNode c : k.path("configurations")) {
                if (!Files.exists(dir.resolve(c.asText()))) {
                    problem(where, "configuration " + c.asText() + " does not exist");
                }
            }
            for (JsonNode g : k.path("configMapGenerator")) {
                Map<String, String> configMapFiles = configMaps.computeIfAbsent(g.path("name").asText(), n -> new TreeMap<>());
                for (JsonNode f : g.path("files")) {
                    Path file = dir.resolve(f.asText());
                    if (!Files.exists(file)) {
                        problem(where, "configMapGenerator file " + f.asText() + " does not exist");
                    } else {
                        configMapFiles.put(file.getFileName().toString(), Files.readString(file));
                    }
                }
            }
            if (dir.getParent().getFileName().toString().equals("overlays")) {
                overlay(dir, k, where);
            }
        }
    }

    private void overlay(Path dir, JsonNode k, String where) {
        checked.add("overlay " + dir.getFileName());
        Set<String> baseImages = new TreeSet<>();
        resources.values().forEach(r -> {
            if (r.path("spec").has("image")) {
                baseImages.add(r.path("spec").path("image").asText());
            }
            r.findValues("containers").forEach(cs -> cs.forEach(c -> {
                if (c.has("image")) {
                    baseImages.add(c.get("image").asText());
                }
            }));
        });
        Set<String> named = new TreeSet<>();
        k.path("images").forEach(i -> named.add(i.path("name").asText()));
        if (!named.containsAll(baseImages)) {
            problem(where, "images: sets " + named + " but the base uses " + baseImages);
        }
        // The streaming job's storage paths, patched per environment.
        Map<String, String> paths = new TreeMap<>();
        for (JsonNode p : k.path("patches")) {
            for (JsonNode d : docs(rel(dir.resolve(p.path("path").asText())))) {
                if (d.path("kind").asText().equals("FlinkDeployment")
                        && d.path("metadata").path("name").asText().equals("audience-mirror-stream")) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = d.path("spec").path("flinkConfiguration").fields(); it.hasNext(); ) {
                        var e = it.next();
                        paths.put(e.getKey(), e.getValue().asText());
                        flinkKey(rel(dir) + " patch", e.getKey());
                    }
                }
            }
        }
        for (String key : STREAM_PATH_KEYS) {
            String v = paths.get(key);
            if (v == null || URI.create(v).getScheme() == null) {
                problem(where, "does not set " + key + " of audience-mirror-stream to a URI with a scheme (s3://...)");
            }
        }
    }

    // ---------------------------------------------------------------- Flink keys

    private void knownFlinkKeys() {
        List<Class<?>> anchors = List.of(ConfigOption.class, org.apache.flink.state.rocksdb.RocksDBOptions.class,
                org.apache.flink.runtime.minicluster.MiniCluster.class, org.apache.flink.client.cli.CliFrontend.class,
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.class);
        for (Class<?> anchor : anchors) {
            try (JarFile jar = new JarFile(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
                for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith("Options.class") && !name.contains("$")) {
                        options(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                    }
                }
            } catch (Exception e) {
                problem("ManifestCheck", "cannot list Flink's options next to " + anchor.getName() + ": " + e);
            }
        }
    }

    private void options(String className) {
        try {
            Class<?> c = Class.forName(className, true, getClass().getClassLoader());
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    boolean deprecated = f.isAnnotationPresent(Deprecated.class);
                    flinkKeys.computeIfAbsent(o.key(), k -> new TreeSet<>()).add(deprecated ? "deprecated" : "current");
                }
            }
        } catch (Throwable ignored) {
            // a class that is not an options holder, or cannot initialize here
        }
    }

    private void flinkKey(String where, String key) {
        checked.add("flink key " + key);
        Matcher reporter = Pattern.compile("^metrics\\.reporter\\.[\\w-]+\\.(.+)$").matcher(key);
        if (reporter.matches() ? REPORTER_SUFFIXES.contains(reporter.group(1)) : OPERATOR_KEYS.contains(key)) {
            return;
        }
        Set<String> kind = flinkKeys.get(key);
        if (kind == null) {
            problem(where, "unknown Flink key " + key);
        } else if (!kind.contains("current")) {
            problem(where, "deprecated Flink key " + key);
        }
    }

    private void flinkConfigs() {
        Map<String, String> production = flat(docs("conf/config.yaml"), "conf/config.yaml");
        flat(docs("conf/local-cluster/config.yaml"), "conf/local-cluster/config.yaml");
        for (var r : resources.entrySet()) {
            if (r.getKey().startsWith("FlinkDeployment/")) {
                String where = "k8s " + r.getKey();
                Map<String, String> conf = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.getValue().path("spec").path("flinkConfiguration").fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getValue().isValueNode()) {
                        problem(where, "flinkConfiguration." + e.getKey() + " is not a single value");
                    }
                    conf.put(e.getKey(), e.getValue().asText());
                    flinkKey(where, e.getKey());
                }
                if (r.getKey().equals("FlinkDeployment/audience-mirror-stream")) {
                    production.forEach((k, v) -> {
                        if (!v.equals(conf.get(k))) {
                            problem(where, "flinkConfiguration " + k + " is " + conf.get(k) + ", conf/config.yaml says " + v);
                        }
                    });
                }
            }
        }
        configMaps.values().forEach(files -> files.forEach((name, text) -> {
            if (!name.endsWith(".yaml")) {
                return;
            }
            try {
                JsonNode n = YAML.readTree(text);
                n.path("flink").fieldNames().forEachRemaining(k -> flinkKey("k8s config " + name + " flink:", k));
            } catch (IOException e) {
                problem("k8s config " + name, "not valid YAML: " + e.getMessage());
            }
        }));
    }

    private Map<String, String> flat(List<JsonNode> docs, String where) {
        Map<String, String> out = new TreeMap<>();
        if (docs.size() != 1) {
            problem(where, "expected one YAML document");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = docs.get(0).fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) {
                problem(where, e.getKey() + ": use flat keys");
                continue;
            }
            out.put(e.getKey(), e.getValue().asText());
            flinkKey(where, e.getKey());
        }
        return out;
    }

    // ---------------------------------------------------------------- classes

    private void classNames() {
        documents.forEach((f, docs) -> docs.forEach(d -> strings(d).forEach(s -> {
            if (CLASS_NAME.matcher(s).matches()) {
                try {
                    Class.forName(s, false, getClass().getClassLoader());
                    checked.add("class " + s);
                } catch (ClassNotFoundException | LinkageError e) {
                    problem(rel(f), "class " + s + " does not exist");
                }
            }
        })));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText().strip());
        }
        n.forEach(child -> out.addAll(strings(child)));
        return out;
    }

    // ---------------------------------------------------------------- containers that run the main

    /** What a container has: env names (and the secret keys behind them), mounts, its command line. */
    private final class Container {
        final String where;
        final Deployment deployment;
        final Map<String, String> env = new TreeMap<>();
        /** mount path -> volume */
        final Map<String, JsonNode> mounts = new TreeMap<>();

        Container(Deployment deployment, String where, List<JsonNode> podSpecs) {
            this.where = where;
            this.deployment = deployment;
            Map<String, JsonNode> volumes = new HashMap<>();
            for (JsonNode spec : podSpecs) {
                spec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            }
            for (JsonNode spec : podSpecs) {
                for (JsonNode c : spec.path("containers")) {
                    for (JsonNode e : c.path("env")) {
                        String name = e.path("name").asText();
                        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                        if (!ref.isMissingNode()) {
                            secretRef(ref.path("name").asText(), ref.path("key").asText());
                        }
                        env.put(name, ref.isMissingNode() ? e.path("value").asText() : "secret " + ref.path("key").asText());
                    }
                    for (JsonNode m : c.path("volumeMounts")) {
                        JsonNode v = volumes.get(m.path("name").asText());
                        if (v == null) {
                            problem(where, "mounts volume " + m.path("name").asText() + " that the pod does not define");
                        } else {
                            mounts.put(m.path("mountPath").asText(), v);
                        }
                    }
                }
            }
            mounts.values().forEach(v -> {
                if (v.has("secret")) {
                    secretRef(v.path("secret").path("secretName").asText(), null);
                    v.path("secret").path("items").forEach(i -> secretRef(secretName, i.path("key").asText()));
                }
                String configMap = v.path("configMap").path("name").asText();
                if (v.has("configMap") && !deployment.configMaps().containsKey(configMap)) {
                    problem(where, "mounts ConfigMap " + configMap + ", but " + deployment.label() + " has only "
                            + deployment.configMaps().keySet());
                }
            });
        }

        private void secretRef(String name, String key) {
            if (!name.equals(secretName)) {
                problem(where, "refers to Secret " + name + ", the template is " + secretName);
            }
            if (key != null) {
                checked.add("secret key " + key);
                if (!secretKeys.contains(key)) {
                    problem(where, "secret key " + key + " is not in k8s/secret.template.yaml " + secretKeys);
                }
            }
        }

        /** The files a secret volume mounted at {@code dir} provides. */
        Set<String> secretFiles(String dir) {
            JsonNode v = mounts.get(dir);
            if (v == null || !v.has("secret")) {
                return Set.of();
            }
            Set<String> files = new TreeSet<>();
            if (v.path("secret").has("items")) {
                v.path("secret").path("items").forEach(i -> files.add(i.path("path").asText()));
            } else {
                files.addAll(secretKeys);
            }
            return files;
        }

        boolean hasPersistentMount(String path) {
            JsonNode v = mounts.get(path);
            return v != null && v.has("persistentVolumeClaim");
        }

        /** The text of the {@code --config FILE} in {@code args}, from its mounted ConfigMap; "" when there is none. */
        String configText(List<String> args) {
            int i = args.indexOf("--config");
            if (i < 0 || i + 1 >= args.size()) {
                return "";
            }
            Path config = Path.of(args.get(i + 1));
            JsonNode volume = mounts.get(String.valueOf(config.getParent()));
            if (volume == null || !volume.has("configMap")) {
                return "";
            }
            return deployment.configMaps().getOrDefault(volume.path("configMap").path("name").asText(), Map.of())
                    .getOrDefault(config.getFileName().toString(), "");
        }

        /**
         * Every secret file {@code configText} reads is mounted here too, and every secret variable
         * set: the sinks read their keys, and the Kafka clients their login, on the TaskManagers.
         */
        void providesSecretsOf(String configText, String configName) {
            Matcher files = FILE_REF.matcher(configText);
            while (files.find()) {
                Path p = Path.of(files.group(1));
                checked.add("secret file " + p + " on " + where);
                if (!secretFiles(String.valueOf(p.getParent())).contains(p.getFileName().toString())) {
                    problem(where, configName + " reads secret file " + p + ", which no Secret mounted on these"
                            + " TaskManagers provides (the sinks and the Kafka clients read their secrets where they run)");
                }
            }
            Matcher envs = ENV_REF.matcher(configText);
            while (envs.find()) {
                checked.add("env " + envs.group(1) + " on " + where);
                if (!env.containsKey(envs.group(1))) {
                    problem(where, configName + " reads env " + envs.group(1) + ", which these TaskManagers do not set "
                            + env.keySet() + " (the sinks and the Kafka clients read their secrets where they run)");
                }
            }
        }

        /** Checks the {@code --config FILE} in {@code args} and loads it as the job would there. */
        void config(List<String> args, String label) throws IOException {
            int i = args.indexOf("--config");
            if (i < 0 || i + 1 >= args.size()) {
                problem(where, "runs the job without --config");
                return;
            }
            Path config = Path.of(args.get(i + 1));
            JsonNode volume = mounts.get(config.getParent().toString());
            if (volume == null || !volume.has("configMap")) {
                problem(where, "--config " + config + ": no ConfigMap is mounted at " + config.getParent());
                return;
            }
            Map<String, String> configMapFiles = deployment.configMaps()
                    .getOrDefault(volume.path("configMap").path("name").asText(), Map.of());
            String text = configMapFiles.get(config.getFileName().toString());
            if (text == null) {
                problem(where, "--config " + config + ": the ConfigMap has no key " + config.getFileName() + " "
                        + configMapFiles.keySet());
                return;
            }
            // The secrets as this container would see them: files under their mount, env vars it has.
            Path secretsDir = Files.createTempDirectory("mirror-secrets");
            try {
                Matcher files = FILE_REF.matcher(text);
                StringBuilder rewritten = new StringBuilder();
                while (files.find()) {
                    Path p = Path.of(files.group(1));
                    if (!secretFiles(p.getParent().toString()).contains(p.getFileName().toString())) {
                        problem(where, config.getFileName() + " reads secret file " + p + ", which no mounted Secret provides");
                    }
                    Path local = secretsDir.resolve(p.getFileName().toString());
                    Files.writeString(local, "dummy-value");
                    files.appendReplacement(rewritten, Matcher.quoteReplacement("{file: " + local + "}"));
                }
                files.appendTail(rewritten);
                Map<String, String> env = new HashMap<>();
                Matcher envs = ENV_REF.matcher(text);
                while (envs.find()) {
                    checked.add("env " + envs.group(1));
                    if (!this.env.containsKey(envs.group(1))) {
                        problem(where, config.getFileName() + " reads env " + envs.group(1) + ", which the container does not set "
                                + this.env.keySet());
                    }
                }
                this.env.keySet().forEach(k -> env.put(k, "dummy-value"));
                try {
                    new ConfigLoader(env).parse(rewritten.toString(), config.getFileName().toString());
                    checked.add("config " + config.getFileName() + " loaded for " + label);
                } catch (ConfigException e) {
                    problem(where, config.getFileName() + " does not load: " + e.getMessage());
                }
            } finally {
                try (Stream<Path> s = Files.list(secretsDir)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(secretsDir);
            }
        }
    }

    private void streamDeployment(Deployment deployment) throws IOException {
        JsonNode d = deployment.resources().get("FlinkDeployment/audience-mirror-stream");
        if (d == null) {
            problem(deployment.label(), "no FlinkDeployment audience-mirror-stream");
            return;
        }
        JsonNode spec = d.path("spec");
        JsonNode job = spec.path("job");
        String where = deployment.label() + " FlinkDeployment/audience-mirror-stream";
        if (!job.path("upgradeMode").asText().equals("savepoint")) {
            problem(where, "job.upgradeMode is not savepoint");
        }
        if (!job.path("entryClass").asText().equals(MirrorCli.class.getName())) {
            problem(where, "job.entryClass is not " + MirrorCli.class.getName());
        }
        String jar = job.path("jarURI").asText();
        if (!jar.equals("local://" + jarInImage)) {
            problem(where, "job.jarURI " + jar + " is not the image's jar local://" + jarInImage);
        }
        JsonNode flink = spec.path("flinkConfiguration");
        if (!flink.has("high-availability.type")) {
            problem(where, "no HA (high-availability.type)");
        }
        // The job's state lives in its checkpoints; a start finding committed offsets and none is refused.
        if (flink.path("execution.checkpointing.dir").asText().isBlank()) {
            problem(where, "no execution.checkpointing.dir: in Kafka mode the job's state lives there");
        }
        if (!flink.path("execution.checkpointing.externalized-checkpoint-retention").asText().equals("RETAIN_ON_CANCELLATION")) {
            problem(where, "checkpoints are not retained on cancellation: a start after a stateless upgrade would find none");
        }
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        if (!args.isEmpty() && !args.get(0).equals("stream")) {
            problem(where, "job.args do not start with the stream command");
        }
        // Application mode: the main runs in the JobManager.
        Container jm = new Container(deployment, where + " jobManager", List.of(spec.path("podTemplate").path("spec"),
                spec.path("jobManager").path("podTemplate").path("spec")));
        jm.config(args, labelled(deployment, "audience-mirror-stream/jobmanager"));
        Container tm = new Container(deployment, where + " taskManager", List.of(spec.path("podTemplate").path("spec"),
                spec.path("taskManager").path("podTemplate").path("spec")));
        tm.providesSecretsOf(jm.configText(args), "stream config");
    }

    private static String labelled(Deployment deployment, String what) {
        return deployment.label().equals("k8s") ? what : deployment.label() + " " + what;
    }

    private void nightly(Deployment deployment) throws IOException {
        JsonNode cron = deployment.resources().get("CronJob/audience-mirror-nightly");
        JsonNode session = deployment.resources().get("FlinkDeployment/audience-mirror-nightly");
        if (cron == null || session == null) {
            problem(deployment.label(), "no CronJob audience-mirror-nightly or FlinkDeployment audience-mirror-nightly");
            return;
        }
        String where = deployment.label() + " CronJob/audience-mirror-nightly";
        JsonNode podSpec = cron.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
        Container client = new Container(deployment, where, List.of(podSpec));
        List<String> command = new ArrayList<>();
        podSpec.path("containers").path(0).path("command").forEach(a -> command.add(a.asText()));
        podSpec.path("containers").path(0).path("args").forEach(a -> command.add(a.asText()));
        int jarAt = command.indexOf(jarInImage);
        if (jarAt < 0) {
            problem(where, "command " + command + " does not run the image's jar " + jarInImage);
            return;
        }
        if (!command.get(0).equals("/opt/flink/bin/flink") || !command.contains("run")) {
            problem(where, "command does not start with /opt/flink/bin/flink run");
        }
        int m = command.indexOf("-m");
        String rest = session.path("metadata").path("name").asText() + "-rest:8081";
        if (m < 0 || !command.get(m + 1).equals(rest)) {
            problem(where, "does not submit to the session cluster's REST service " + rest);
        }
        if (!command.get(jarAt + 1).equals("nightly")) {
            problem(where, "runs " + command.get(jarAt + 1) + ", not nightly");
        }
        client.config(command.subList(jarAt + 1, command.size()), labelled(deployment, "audience-mirror-nightly/cronjob"));

        // The run's folder: written by the session's TaskManagers, read by the client.
        String text = client.mounts.values().stream().filter(v -> v.has("configMap"))
                .map(v -> deployment.configMaps().getOrDefault(v.path("configMap").path("name").asText(), Map.of()))
                .map(files -> files.getOrDefault("nightly.yaml", "")).filter(t -> !t.isEmpty()).findFirst().orElse("");
        String runsDir = YAML.readTree(text.isEmpty() ? "{}" : text).path("nightly").path("runs-dir").asText();
        Container tm = new Container(deployment, deployment.label() + " FlinkDeployment/audience-mirror-nightly taskManager", List.of(
                session.path("spec").path("podTemplate").path("spec"),
                session.path("spec").path("taskManager").path("podTemplate").path("spec")));
        tm.providesSecretsOf(client.configText(command.subList(jarAt + 1, command.size())), "nightly config");
        if (!client.hasPersistentMount(runsDir)) {
            problem(where, "nightly.runs-dir " + runsDir + " is not a mounted PersistentVolumeClaim of the client");
        }
        if (!tm.hasPersistentMount(runsDir)) {
            problem(deployment.label() + " FlinkDeployment/audience-mirror-nightly", "nightly.runs-dir " + runsDir
                    + " is not a mounted PersistentVolumeClaim of the TaskManagers");
        }
    }

    // ---------------------------------------------------------------- rendered overlays

    private void rendered(Path kubectl, Path overlay) throws IOException {
        String env = overlay.getFileName().toString();
        String label = "rendered overlays/" + env;
        List<JsonNode> docs = kustomize(kubectl, overlay, label);
        if (docs.isEmpty()) {
            return;
        }
        checked.add("rendered overlay " + env);
        Map<String, JsonNode> rendered = new LinkedHashMap<>();
        Map<String, Map<String, String>> renderedConfigMaps = new TreeMap<>();
        for (JsonNode d : docs) {
            String name = d.path("metadata").path("name").asText();
            rendered.put(d.path("kind").asText() + "/" + name, d);
            if (d.path("kind").asText().equals("ConfigMap")) {
                Map<String, String> data = new TreeMap<>();
                d.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
                renderedConfigMaps.put(name, data);
            }
        }
        JsonNode kustomization = docs(rel(overlay.resolve("kustomization.yaml"))).stream().findFirst()
                .orElse(YAML.createObjectNode());

        // Every resource in the overlay's namespace.
        String namespace = kustomization.path("namespace").asText();
        rendered.forEach((id, d) -> {
            if (!namespace.isEmpty() && !d.path("metadata").path("namespace").asText().equals(namespace)) {
                problem(label, id + " is in namespace " + d.path("metadata").path("namespace").asText() + ", not " + namespace);
            }
        });

        // Images: every pod runs the overlay's image, no base placeholder left.
        Set<String> wanted = new TreeSet<>();
        kustomization.path("images").forEach(i -> wanted.add(i.path("newName").asText(i.path("name").asText())
                + (i.has("newTag") ? ":" + i.path("newTag").asText() : "")));
        rendered.forEach((id, d) -> {
            List<String> images = new ArrayList<>();
            if (d.path("spec").has("image")) {
                images.add(d.path("spec").path("image").asText());
            }
            d.findValues("containers").forEach(cs -> cs.forEach(c -> {
                if (c.has("image")) {
                    images.add(c.path("image").asText());
                }
            }));
            for (String image : images) {
                checked.add(label + " image " + image);
                if (!wanted.contains(image)) {
                    problem(label, id + " runs image " + image + ", not the overlay's " + wanted);
                }
            }
        });

        // The ConfigMaps hold the files they are generated from.
        configMaps.forEach((name, files) -> {
            Map<String, String> data = renderedConfigMaps.get(name);
            if (data == null) {
                problem(label, "no ConfigMap " + name + " (rendered: " + renderedConfigMaps.keySet() + ")");
            } else if (!data.equals(files)) {
                problem(label, "ConfigMap " + name + " holds " + data.keySet() + ", not the files " + files.keySet());
            }
        });
        JsonNode dashboard = rendered.get("ConfigMap/audience-mirror-grafana-dashboard");
        if (dashboard == null || !dashboard.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1")) {
            problem(label, "no ConfigMap audience-mirror-grafana-dashboard labelled grafana_dashboard: \"1\" (Grafana's sidecar loads those)");
        } else if (!dashboard.path("data").path("audience-mirror-dashboard.json").asText()
                .equals(Files.readString(root.resolve("k8s/base/grafana/audience-mirror-dashboard.json")))) {
            problem(label, "ConfigMap audience-mirror-grafana-dashboard does not hold k8s/base/grafana/audience-mirror-dashboard.json");
        } else {
            checked.add(label + " dashboard ConfigMap");
        }

        // Every claim a pod mounts is rendered.
        rendered.forEach((id, d) -> d.findValues("persistentVolumeClaim").forEach(c -> {
            if (!rendered.containsKey("PersistentVolumeClaim/" + c.path("claimName").asText())) {
                problem(label, id + " mounts PersistentVolumeClaim " + c.path("claimName").asText() + ", which is not rendered");
            }
        }));

        JsonNode cron = rendered.get("CronJob/audience-mirror-nightly");
        if (cron != null) {
            String policy = cron.path("spec").path("concurrencyPolicy").asText();
            if (!policy.equals("Forbid")) {
                problem(label, "CronJob/audience-mirror-nightly concurrencyPolicy is " + policy
                        + ", not Forbid: two nightly runs would share the snapshot");
            } else {
                checked.add(label + " concurrencyPolicy Forbid");
            }
        }

        // The streaming job's Flink configuration: known keys, conf/config.yaml unchanged, the
        // overlay's own storage paths (not the base's placeholders).
        JsonNode stream = rendered.get("FlinkDeployment/audience-mirror-stream");
        JsonNode baseStream = resources.get("FlinkDeployment/audience-mirror-stream");
        if (stream != null && baseStream != null) {
            JsonNode conf = stream.path("spec").path("flinkConfiguration");
            conf.fieldNames().forEachRemaining(k -> flinkKey(label + " FlinkDeployment/audience-mirror-stream", k));
            flatQuietly(docs("conf/config.yaml")).forEach((k, v) -> {
                if (!v.equals(conf.path(k).asText(null))) {
                    problem(label, "FlinkDeployment/audience-mirror-stream flinkConfiguration " + k + " is "
                            + conf.path(k).asText(null) + ", conf/config.yaml says " + v);
                }
            });
            for (String key : STREAM_PATH_KEYS) {
                String v = conf.path(key).asText("");
                if (v.isEmpty() || v.equals(baseStream.path("spec").path("flinkConfiguration").path(key).asText())) {
                    problem(label, "FlinkDeployment/audience-mirror-stream " + key + " is the base's " + v
                            + ": the overlay must set it");
                } else {
                    checked.add(label + " " + key + " " + v);
                }
            }
        }
        Deployment deployment = new Deployment(label, rendered, renderedConfigMaps);
        streamDeployment(deployment);
        nightly(deployment);
    }

    private Map<String, String> flatQuietly(List<JsonNode> docs) {
        Map<String, String> out = new TreeMap<>();
        if (docs.size() == 1) {
            docs.get(0).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** {@code kubectl kustomize DIR}: its documents, or none and a problem with kubectl's message. */
    private List<JsonNode> kustomize(Path kubectl, Path dir, String label) throws IOException {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem(label, "kubectl kustomize did not finish in 120 s");
                return List.of();
            }
            if (p.exitValue() != 0) {
                problem(label, "kubectl kustomize failed: " + Files.readString(err).strip());
                return List.of();
            }
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out.toFile())) {
                while (it.hasNext()) {
                    JsonNode d = it.next();
                    if (d != null && d.has("kind")) {
                        docs.add(d);
                    }
                }
            }
            return docs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running kubectl kustomize", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

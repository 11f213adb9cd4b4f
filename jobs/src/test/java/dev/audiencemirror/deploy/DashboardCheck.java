package dev.audiencemirror.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the Grafana dashboard (k8s/base/grafana/audience-mirror-dashboard.json) and lists every
 * problem: it is JSON with a uid and title; every panel (rows aside) has a unique id, uses the
 * dashboard's Prometheus datasource variable and at least one query; every metric a query names is
 * one the README's "Metrics to alert on" section names (its table or its list for dashboards).
 * {@code FlinkClusterIT} checks the same names against the Prometheus pages of a real cluster.
 */
final class DashboardCheck {
    static final String FILE = "k8s/base/grafana/audience-mirror-dashboard.json";
    static final String README_SECTION = "### Metrics to alert on";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*[A-Za-z_]\\w*\\s*\\)");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private final List<String> problems = new ArrayList<>();
    private final Set<String> metrics = new TreeSet<>();

    static DashboardCheck run(Path root) throws IOException {
        DashboardCheck c = new DashboardCheck();
        c.check(root);
        return c;
    }

    List<String> problems() {
        return problems;
    }

    /** Every metric name the dashboard's queries (and template variables) name. */
    Set<String> metrics() {
        return metrics;
    }

    private void check(Path root) throws IOException {
        JsonNode d;
        try {
            d = JSON.readTree(Files.readString(root.resolve(FILE)));
        } catch (IOException e) {
            problems.add(FILE + ": not valid JSON: " + e.getMessage());
            return;
        }
        for (String field : List.of("uid", "title")) {
            if (d.path(field).asText().isBlank()) {
                problems.add(FILE + ": no " + field);
            }
        }
        boolean datasourceVariable = false;
        for (JsonNode v : d.path("templating").path("list")) {
            datasourceVariable |= v.path("type").asText().equals("datasource") && v.path("name").asText().equals("datasource");
            JsonNode q = v.path("query");
            if (v.path("type").asText().equals("query")) {
                metrics.addAll(variableMetricNames(q.isObject() ? q.path("query").asText() : q.asText()));
            }
        }
        if (!datasourceVariable) {
            problems.add(FILE + ": no datasource variable named datasource (the panels' ${datasource})");
        }
        Set<Integer> ids = new HashSet<>();
        int panels = 0;
        for (JsonNode p : panels(d)) {
            String where = FILE + " panel \"" + p.path("title").asText() + "\"";
            if (!ids.add(p.path("id").asInt(-1))) {
                problems.add(where + ": id " + p.path("id") + " missing or not unique");
            }
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            if (!p.path("datasource").path("uid").asText().equals("${datasource}")) {
                problems.add(where + ": datasource is not ${datasource}");
            }
            List<String> exprs = new ArrayList<>();
            p.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            if (exprs.isEmpty() || exprs.stream().anyMatch(String::isBlank)) {
                problems.add(where + ": a panel without a query, or a target without expr");
            }
            for (String e : exprs) {
                Set<String> names = metricNames(e);
                if (!e.isBlank() && names.isEmpty()) {
                    problems.add(where + ": query names no metric: " + e);
                }
                metrics.addAll(names);
            }
        }
        if (panels == 0) {
            problems.add(FILE + ": no panels");
        }
        Set<String> documented = documentedMetrics(Files.readString(root.resolve("README.md")));
        for (String m : metrics) {
            if (!isDocumented(m, documented)) {
                problems.add(FILE + ": queries " + m + ", which the README's \"Metrics to alert on\" does not name");
            }
        }
    }

    private static List<JsonNode> panels(JsonNode d) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add); // the panels of a collapsed row
        }
        return out;
    }

    /**
     * The metric names in a PromQL expression: identifiers outside label matchers, strings, ranges
     * and {@code by (...)} lists that are neither functions (followed by a parenthesis) nor keywords.
     */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean function = s.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(name.toLowerCase())) {
                out.add(name);
            }
        }
        return out;
    }

    /** The metric names of a variable's query: {@code label_values(METRIC_SELECTOR, label)} or PromQL. */
    static Set<String> variableMetricNames(String query) {
        Matcher m = LABEL_VALUES.matcher(query.strip());
        return metricNames(m.matches() ? m.group(1) : query);
    }

    /** The code spans of the README's section: full metric names, short names and "..._suffix" forms (and labels, ignored). */
    static Set<String> documentedMetrics(String readme) {
        int start = readme.indexOf(README_SECTION);
        if (start < 0) {
            return Set.of();
        }
        int end = readme.indexOf("\n## ", start);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> out = new TreeSet<>();
        Matcher m = BACKTICKED.matcher(section);
        while (m.find()) {
            out.add(m.group(1).replaceAll("\\{.*", "").strip());
        }
        return out;
    }

    static boolean isDocumented(String metric, Set<String> documented) {
        for (String d : documented) {
            if ((metric.equals(d) && d.matches("(flink|kube)_\\w+"))
                    || (d.startsWith("..._") && metric.endsWith(d.substring(3)))
                    || (d.matches("[A-Za-z]\\w*") && metric.startsWith("flink_") && metric.endsWith("_" + d))) {
                return true;
            }
        }
        return false;
    }
}

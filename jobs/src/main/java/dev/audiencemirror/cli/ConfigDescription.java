package dev.audiencemirror.cli;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.Secret;
import dev.audiencemirror.connector.common.SecretRef;
import dev.audiencemirror.destinations.Destinations;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Renders a resolved config for people: every setting with its effective value, secrets masked. */
final class ConfigDescription {
    private ConfigDescription() {}

    static String of(MirrorConfig c) {
        StringBuilder sb = new StringBuilder();
        line(sb, "alias-tag", c.aliasTag());
        line(sb, "sync-mode", c.syncMode().configName());
        sb.append("activations (cohort -> Adestra list):\n");
        c.activations().forEach((cohort, list) -> sb.append("  ").append(cohort).append(" -> ").append(list).append('\n'));
        var a = c.adestra();
        line(sb, "adestra.base-url", a.baseUrl().raw());
        line(sb, "adestra.api-key", key(a.apiKey(), a.baseUrl().isEmbedded()));
        line(sb, "adestra.auth-scheme", a.authScheme());
        line(sb, "adestra.max-concurrency", a.maxConcurrency());
        line(sb, "adestra.request-timeout", a.requestTimeout());
        line(sb, "adestra.max-attempts", a.maxAttempts());
        line(sb, "adestra.max-retry-time", a.maxRetryTime());
        line(sb, "adestra.max-backoff", a.maxBackoff());
        line(sb, "adestra.settle-delay", a.settleDelay().isZero() ? "off" : a.settleDelay());
        var t = c.taxonomy();
        line(sb, "taxonomy.base-url", t.baseUrl().raw());
        line(sb, "taxonomy.import-id", t.importId());
        line(sb, "taxonomy.api-key", key(t.apiKey(), t.baseUrl().isEmbedded()));
        line(sb, "taxonomy.sync-mode", t.syncMode().configName());
        line(sb, "taxonomy.batch-size", t.batchSize());
        line(sb, "taxonomy.linger", t.linger());
        line(sb, "taxonomy.request-timeout", t.requestTimeout());
        line(sb, "taxonomy.max-attempts", t.maxAttempts());
        line(sb, "taxonomy.max-retry-time", t.maxRetryTime());
        line(sb, "taxonomy.max-backoff", t.maxBackoff());
        line(sb, "taxonomy.settle-delay", t.settleDelay().isZero() ? "off" : t.settleDelay());
        var in = c.inputs();
        in.identities().ifPresent(p -> line(sb, "inputs.identities", p));
        in.memberships().ifPresent(p -> line(sb, "inputs.memberships", p));
        in.segments().ifPresent(p -> line(sb, "inputs.segments", p));
        in.events().ifPresent(p -> line(sb, "inputs.events", p));
        in.assertions().ifPresent(p -> line(sb, "inputs.assertions", p));
        in.asOf().ifPresent(p -> line(sb, "inputs.as-of", p));
        c.kafka().ifPresent(k -> {
            line(sb, "kafka.bootstrap-servers", k.bootstrapServers());
            line(sb, "kafka.group-id", k.groupId());
            line(sb, "kafka.topics.identities", k.identitiesTopic());
            line(sb, "kafka.topics.events", k.eventsTopic());
            line(sb, "kafka.topics.segments", k.segmentsTopic());
            line(sb, "kafka.topics.dead-letter", k.deadLetterTopic());
            if (k.assertionsTopic() != null) {
                line(sb, "kafka.topics.assertions", k.assertionsTopic());
            }
            k.properties().forEach((name, v) -> line(sb, "kafka.properties." + name, v));
            k.secretProperties().forEach((name, v) -> line(sb, "kafka.properties." + name,
                    Secret.MASK + " (from " + v.describe() + "; the Kafka clients read it where they run, as " + v.placeholder() + ")"));
        });
        var n = c.nightly();
        line(sb, "nightly.state-dir", n.stateDir());
        line(sb, "nightly.runs-dir", n.runsDir());
        line(sb, "nightly.reject-threshold", n.rejectThreshold());
        line(sb, "nightly.max-removal-ratio", n.maxRemovalRatio());
        n.streamJob().ifPresent(j -> line(sb, "nightly.stream-config", j.source()));
        var s = c.stream();
        line(sb, "stream.window", s.window());
        line(sb, "stream.user-ttl", s.userTtl().map(ConfigDescription::human).orElse("off"));
        line(sb, "stream.dead-letter-dir", s.deadLetterDir());
        line(sb, "stream.watch-interval", s.watchInterval());
        line(sb, "stream.status-interval", s.statusInterval().map(ConfigDescription::human).orElse("off"));
        c.flink().forEach((k, v) -> line(sb, "flink." + k, v));
        return sb.toString();
    }

    /**
     * Which job writes each list of a nightly config, and the rule that applies: a list the
     * streaming job activates is its alone, and this run's export reaches it as assertions.
     */
    static String ownership(MirrorConfig c) {
        ListOwnership o = ListOwnership.of(c);
        StringBuilder sb = new StringBuilder();
        if (o.streamJob().isEmpty()) {
            sb.append("Lists: nightly.stream-config is not set, so this nightly run pushes every list it activates (")
                    .append(joined(o.pushed())).append(") and assumes no streaming job writes them; if one does, name its")
                    .append(" config there, or the two jobs can undo each other's changes.\n");
            return sb.toString();
        }
        var job = o.streamJob().get();
        sb.append("Lists, with the streaming job's config ").append(job.source()).append(":\n");
        o.handedOffLists().forEach(list -> sb.append(String.format("  list %-10d activated in both: the streaming job writes it;"
                + " this run hands it cohorts %s as assertions stamped with the export's as-of time (%s), and for every"
                + " (contact, list) the change about the later event time wins%n", list,
                o.handedOff().entrySet().stream().filter(e -> e.getValue().equals(list)).map(Map.Entry::getKey).toList(),
                job.assertionsTarget())));
        o.pushed().forEach(list -> sb.append(String.format("  list %-10d nightly only: this run pushes it%n", list)));
        new TreeSet<>(job.config().activations().values()).stream()
                .filter(list -> !o.handedOffLists().contains(list))
                .forEach(list -> sb.append(String.format("  list %-10d streaming only: this run leaves it alone%n", list)));
        return sb.toString();
    }

    private static String joined(Collection<Long> lists) {
        return String.join(", ", lists.stream().map(String::valueOf).toList());
    }

    /**
     * Masked, with where it is and its fingerprint as this process reads it: what the sinks'
     * {@code apiKeyFingerprint} gauge shows (in decimal) while they use this key.
     */
    private static String key(Optional<SecretRef> key, boolean embedded) {
        if (key.isEmpty()) {
            return embedded ? "(" + Destinations.SANDBOX_DEFAULT_KEY + ")" : "(none)";
        }
        try {
            Secret s = key.get().resolve();
            return s.describe() + ", fingerprint " + s.fingerprintHex() + " (apiKeyFingerprint " + s.fingerprint() + ")";
        } catch (IllegalStateException e) {
            return Secret.MASK + " (from " + key.get() + ")";
        }
    }

    private static void line(StringBuilder sb, String key, Object value) {
        Object shown = value instanceof Duration d ? human(d) : value;
        sb.append(String.format("%-28s %s%n", key, shown == null ? "(not set)" : shown));
    }

    /** Durations as they are written in the config (10s, 5m), not ISO-8601. */
    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}

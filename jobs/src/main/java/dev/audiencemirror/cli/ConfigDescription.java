package dev.audiencemirror.cli;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.Secret;
import java.time.Duration;
import java.util.Optional;

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
        var in = c.inputs();
        in.identities().ifPresent(p -> line(sb, "inputs.identities", p));
        in.memberships().ifPresent(p -> line(sb, "inputs.memberships", p));
        in.segments().ifPresent(p -> line(sb, "inputs.segments", p));
        in.events().ifPresent(p -> line(sb, "inputs.events", p));
        c.kafka().ifPresent(k -> {
            line(sb, "kafka.bootstrap-servers", k.bootstrapServers());
            line(sb, "kafka.group-id", k.groupId());
            line(sb, "kafka.topics.identities", k.identitiesTopic());
            line(sb, "kafka.topics.events", k.eventsTopic());
            line(sb, "kafka.topics.segments", k.segmentsTopic());
            line(sb, "kafka.topics.dead-letter", k.deadLetterTopic());
            k.properties().forEach((name, v) -> line(sb, "kafka.properties." + name, v));
            k.secretProperties().forEach((name, v) -> line(sb, "kafka.properties." + name, v.describe()));
        });
        var n = c.nightly();
        line(sb, "nightly.state-dir", n.stateDir());
        line(sb, "nightly.runs-dir", n.runsDir());
        line(sb, "nightly.reject-threshold", n.rejectThreshold());
        line(sb, "nightly.max-removal-ratio", n.maxRemovalRatio());
        var s = c.stream();
        line(sb, "stream.window", s.window());
        line(sb, "stream.user-ttl", s.userTtl().map(ConfigDescription::human).orElse("off"));
        line(sb, "stream.dead-letter-dir", s.deadLetterDir());
        line(sb, "stream.watch-interval", s.watchInterval());
        line(sb, "stream.status-interval", s.statusInterval().map(ConfigDescription::human).orElse("off"));
        c.flink().forEach((k, v) -> line(sb, "flink." + k, v));
        return sb.toString();
    }

    private static String key(Optional<Secret> key, boolean embedded) {
        return key.map(Secret::describe).orElse(embedded ? "(the embedded sandbox's default key)" : "(none)");
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

package dev.audiencemirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A misspelt key in any mapping is reported with the keys that mapping takes, in the order an
 * operator reads the file: each mapping's unknown keys where that mapping starts, before the
 * problems with its values.
 */
class UnknownKeysTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("KAFKA_JAAS", "jaas-s3cret"));

    @Test
    void everyMappingNamesTheKeysItTakesWhereItStarts() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("""
                activations: {"1001": 678}
                colour: red
                adestra:
                  request-timeout: soon
                  max-concurency: 5
                taxonomy:
                  import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0
                  batchsize: 10
                inputs:
                  identity: in/ids
                kafka:
                  bootstrap-servers: broker:9092
                  topic: ids
                  topics: {identities: ids, events: evs, dead-letters: dl}
                  properties:
                    sasl.jaas.config: {env: KAFKA_JAAS, value: inline}
                nightly:
                  statedir: run/state
                stream:
                  windows: 1s
                """, "keys.yaml"));

        assertThat(e.problems()).containsExactly(
                "colour: unknown key; expected one of activations, adestra, alias-tag, flink, inputs, kafka, nightly, stream,"
                        + " sync-mode, taxonomy",
                "adestra.max-concurency: unknown key; expected one of api-key, auth-scheme, base-url, max-attempts,"
                        + " max-backoff, max-concurrency, max-retry-time, request-timeout, settle-delay",
                "adestra.request-timeout: expected a duration such as 500ms, 10s, 5m or 1h, found 'soon'",
                "taxonomy.batchsize: unknown key; expected one of api-key, base-url, batch-size, import-id, linger,"
                        + " max-attempts, max-backoff, max-retry-time, request-timeout, settle-delay, sync-mode",
                "inputs.identity: unknown key; expected one of as-of, assertions, events, identities, memberships, segments",
                "kafka.topic: unknown key; expected one of bootstrap-servers, group-id, properties, topics",
                "kafka.topics.dead-letters: unknown key; expected one of assertions, dead-letter, events, identities,"
                        + " segments",
                "kafka.properties.sasl.jaas.config.value: unknown key; expected one of env, file",
                "nightly.statedir: unknown key; expected one of max-removal-ratio, reject-threshold, runs-dir, state-dir,"
                        + " stream-config",
                "stream.windows: unknown key; expected one of dead-letter-dir, status-interval, user-ttl, watch-interval,"
                        + " window");
        assertThat(e.getMessage()).doesNotContain("inline");
    }

    @Test
    void freeFormMappingsTakeAnyKey() {
        MirrorConfig c = loader.parse("""
                activations: {"1001": 678, "any-cohort": 679}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                kafka:
                  bootstrap-servers: broker:9092
                  topics: {identities: ids, events: evs}
                  properties: {any.client.property: x}
                flink: {any.flink.option: y}
                """, "free.yaml");

        assertThat(c.activations()).containsOnlyKeys("1001", "any-cohort");
        assertThat(c.kafka().orElseThrow().properties()).containsEntry("any.client.property", "x");
        assertThat(c.flink()).containsEntry("any.flink.option", "y");
    }
}

package dev.audiencemirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.connector.common.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            activations:
              "1001": 678
            taxonomy:
              import-id: 32f8e031-c532-41bb-b25e-65bdb677a96f
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("ADESTRA_KEY", "adestra-s3cret", "PERMUTIVE_KEY", "perm-s3cret"));

    private ConfigException problemsOf(String yaml) {
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> loader.parse(yaml, "test.yaml"));
    }

    @Test
    void minimalConfigGetsTheDocumentedDefaults() {
        MirrorConfig c = loader.parse(MINIMAL, "test.yaml");

        assertThat(c.aliasTag()).isEqualTo("adestra");
        assertThat(c.syncMode()).isEqualTo(SyncMode.MIRROR);
        assertThat(c.activations()).containsExactly(Map.entry("1001", 678L));
        assertThat(c.adestra().baseUrl().isEmbedded()).isTrue();
        assertThat(c.adestra().maxConcurrency()).isEqualTo(10);
        assertThat(c.adestra().authScheme()).isEqualTo("TOKEN");
        assertThat(c.adestra().settleDelay()).as("three request timeouts").isEqualTo(Duration.ofSeconds(30));
        assertThat(c.taxonomy().batchSize()).isEqualTo(5000);
        assertThat(c.taxonomy().settleDelay()).as("three request timeouts").isEqualTo(Duration.ofSeconds(90));
        assertThat(c.taxonomy().syncMode()).isEqualTo(SyncMode.MIRROR);
        assertThat(c.nightly().rejectThreshold()).isEqualTo(0.01);
        assertThat(c.nightly().maxRemovalRatio()).isEqualTo(0.5);
        assertThat(c.kafka()).isEmpty();
    }

    @Test
    void shippedExampleConfigsAreValid() {
        Path conf = Path.of("..", "conf");
        assertThat(loader.load(conf.resolve("local.yaml")).inputs().memberships()).hasValue("examples/memberships.csv");
        // staging reads its keys from a mounted file and env vars: give it both
        Map<String, String> env = Map.of("PERMUTIVE_API_KEY", "k", "KAFKA_SASL_JAAS_CONFIG", "jaas");
        assertThatThrownBy(() -> new ConfigLoader(env).load(conf.resolve("staging.yaml")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .singleElement()
                        .asString()
                        .startsWith("adestra.api-key: secret file /opt/secrets/adestra/api-key cannot be read"));
        // Its nightly run does not read the streaming job's Kafka secret.
        assertThatThrownBy(() -> new ConfigLoader(Map.of("PERMUTIVE_API_KEY", "k"))
                .reading(EnumSet.of(SecretUse.API_KEYS, SecretUse.STREAM_CONFIG_KAFKA)).load(conf.resolve("staging.yaml")))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("adestra.api-key: secret file /opt/secrets/adestra/api-key cannot be read"));
    }

    @Test
    void inlineApiKeyIsRefusedNamingTheKeyWithoutEchoingIt() {
        ConfigException e = problemsOf(MINIMAL + """
                adestra:
                  base-url: https://adestra.example.com/api
                  api-key: "my-inline-s3cret"
                """);

        assertThat(e.problems()).singleElement().asString()
                .startsWith("adestra.api-key: an API key must not be written into the config file")
                .contains("{env: VARIABLE}");
        assertThat(e.getMessage()).doesNotContain("my-inline-s3cret");
    }

    @Test
    void keysAreHeldAsWhereTheyAreCheckedReadableWhenTheConfigIsLoaded(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("permutive-key");
        Files.writeString(keyFile, "file-s3cret\n");
        MirrorConfig c = loader.parse("""
                activations: {"1001": 678}
                adestra:
                  base-url: https://adestra.example.com/api
                  api-key: {env: ADESTRA_KEY}
                taxonomy:
                  base-url: https://api.permutive.app/audience-api/v1/
                  import-id: abc
                  api-key: {file: %s}
                """.formatted(keyFile), "test.yaml");

        assertThat(c.adestra().apiKey()).contains(SecretRef.env("ADESTRA_KEY"));
        assertThat(c.taxonomy().apiKey()).contains(SecretRef.file(keyFile.toString()));
        assertThat(c.toString()).doesNotContain("s3cret").contains("env ADESTRA_KEY");
        assertThat(c.taxonomy().baseUrl().raw()).isEqualTo("https://api.permutive.app/audience-api/v1");
    }

    @Test
    void missingSecretsNameTheKeyAndWhereTheyWereLookedFor() {
        ConfigException e = problemsOf("""
                activations: {"1001": 678}
                adestra:
                  base-url: https://adestra.example.com/api
                  api-key: {env: NOT_SET_ANYWHERE}
                taxonomy:
                  base-url: https://api.permutive.app/audience-api/v1
                  import-id: abc
                  api-key: {file: /nonexistent/key}
                """);

        assertThat(e.problems()).containsExactly(
                "adestra.api-key: environment variable NOT_SET_ANYWHERE is not set or empty",
                "taxonomy.api-key: secret file /nonexistent/key cannot be read (NoSuchFileException)");
    }

    @Test
    void realDestinationWithoutKeyIsRefused() {
        ConfigException e = problemsOf(MINIMAL + """
                adestra:
                  base-url: https://adestra.example.com/api
                """);
        assertThat(e.problems()).singleElement().asString().startsWith("adestra.api-key: required for https://adestra.example.com/api");
    }

    @Test
    void plainHttpOnlyForLoopback() {
        ConfigException e = problemsOf(MINIMAL + """
                adestra:
                  base-url: http://adestra.example.com/api
                  api-key: {env: ADESTRA_KEY}
                """);
        assertThat(e.problems()).singleElement().asString()
                .startsWith("adestra.base-url: must use https://")
                .contains("adestra.example.com");

        for (String host : new String[] {"127.0.0.1:8089", "localhost:8089", "[::1]:8089", "127.1.2.3"}) {
            MirrorConfig ok = loader.parse(MINIMAL + """
                    adestra:
                      base-url: http://%s
                      api-key: {env: ADESTRA_KEY}
                    """.formatted(host), "test.yaml");
            assertThat(ok.adestra().baseUrl().isEmbedded()).isFalse();
        }
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsKey() {
        ConfigException e = problemsOf("""
                sync-mode: mirrror
                activatons: {}
                activations:
                  "1001": "67x"
                  "1002": [1]
                adestra:
                  max-concurrency: 11
                  request-timeout: ten seconds
                  auth-scheme: "Bearer token"
                taxonomy:
                  batch-size: 5001
                nightly:
                  reject-threshold: 2
                """);

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "activatons: unknown key; expected one of activations, adestra, alias-tag, flink, inputs, kafka, nightly, stream, sync-mode, taxonomy",
                "sync-mode: unknown sync mode 'mirrror'; expected one of add, remove, mirror, upsert",
                "activations.1001: the Adestra list ID must be a positive whole number such as 678, found text '67x'",
                "activations.1002: the Adestra list ID must be a positive whole number such as 678, found a list",
                "adestra.auth-scheme: must be one word such as TOKEN or Bearer, found 'Bearer token'",
                "adestra.max-concurrency: must be between 1 and 10, found 11 (Adestra allows at most 10 concurrent connections per account)",
                "adestra.request-timeout: expected a duration such as 500ms, 10s, 5m or 1h, found 'ten seconds'",
                "taxonomy.import-id: required: the Permutive audience import whose segments are mirrored",
                "taxonomy.batch-size: must be between 1 and 5000, found 5001 (the Taxonomy API takes at most 5000 operations per request)",
                "nightly.reject-threshold: expected a fraction between 0 and 1 (0.01 = 1%), found a number '2'");
    }

    @Test
    void missingActivationsAndBrokenYamlAreExplained() {
        assertThat(problemsOf("taxonomy: {import-id: x}").problems())
                .containsExactly("activations: required: map each activated cohort to its Adestra list ID, e.g. \"1001\": 678");
        assertThat(problemsOf("activations: [\n").getMessage()).contains("not valid YAML at line");
        assertThat(problemsOf("").problems()).containsExactly("the file is empty");
    }

    @Test
    void brokenYamlIsReportedWithTheParsersReasonAtTheLineOfTheFaultWithoutTheFilesText() {
        assertThat(problemsOf("alias-tag: adestra\n\tsync-mode: mirror\n").problems())
                .containsExactly("not valid YAML at line 2, column 1: a tab character; YAML indents with spaces only");
        assertThat(problemsOf(MINIMAL + "adestra:\n  base-url: https://x.example.com: 8443\n").problems())
                .containsExactly("not valid YAML at line 6, column 34: mapping values are not allowed here");
        // An unclosed quote: the parser finds the end of the file; where the quote opened says more.
        ConfigException e = problemsOf(MINIMAL + "kafka:\n  properties:\n    sasl.jaas.config: 'user=\"a\" password=\"s3cret\"\n");
        assertThat(e.problems()).containsExactly("not valid YAML at line 8, column 1: found unexpected end of stream"
                + " (while scanning a quoted scalar that starts at line 7, column 23)");
        assertThat(e.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void aListIdMustBeAPositiveWholeNumber() {
        assertThat(problemsOf("activations: {\"1001\": 678, \"1003\": -680, \"1004\": 0, \"1005\": 6.5}\n"
                + "taxonomy: {import-id: x}\n").problems()).containsExactly(
                "activations.1003: the Adestra list ID must be a positive whole number such as 678, found -680",
                "activations.1004: the Adestra list ID must be a positive whole number such as 678, found 0",
                "activations.1005: the Adestra list ID must be a positive whole number such as 678, found 6.5");
    }

    @Test
    void aKeyGivenWithNoValueIsRefusedNotReadAsItsDefault() {
        ConfigException e = problemsOf(MINIMAL + """
                adestra:
                  max-concurrency:
                  api-key:
                nightly:
                  reject-threshold:
                stream:
                  user-ttl:
                  window: ~
                kafka:
                  bootstrap-servers:
                  topics: {identities: ids, events: evs}
                """);
        String blank = ": no value after the colon; give one, or remove the key for its default";
        assertThat(e.problems()).containsExactly(
                "adestra.api-key" + blank,
                "adestra.max-concurrency" + blank,
                "kafka.bootstrap-servers" + blank,
                "nightly.reject-threshold" + blank,
                "stream.window" + blank,
                "stream.user-ttl" + blank);
        // A section with no keys is only empty: every key in it has its default.
        assertThat(loader.parse(MINIMAL + "stream:\nnightly:\n", "t").stream().window()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aKeyGivenTwiceIsRefusedNotSilentlyOverridden() {
        ConfigException e = problemsOf(MINIMAL + """
                nightly:
                  state-dir: /a
                nightly:
                  reject-threshold: 0.5
                """);
        assertThat(e.problems()).singleElement().asString().startsWith("nightly: given twice at line");
    }

    @Test
    void everyKeyGivenTwiceIsReportedAtOnceWithTheOtherProblems() {
        ConfigException e = problemsOf(MINIMAL + """
                nightly:
                  state-dir: /a
                  state-dir: /b
                stream:
                  window: 1s
                  window: 2s
                  wndow: 3s
                """);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("nightly.state-dir: given twice at line"))
                .anySatisfy(p -> assertThat(p).startsWith("stream.window: given twice at line"))
                .anySatisfy(p -> assertThat(p).contains("stream.wndow"))
                .hasSize(3);
    }

    @Test
    void durationsAndSyncModesParse() {
        MirrorConfig c = loader.parse(MINIMAL.replace("taxonomy:\n", "taxonomy:\n  linger: 250ms\n  sync-mode: upsert\n") + """
                sync-mode: add
                adestra:
                  max-retry-time: 2h
                """, "t");
        assertThat(c.taxonomy().linger()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.taxonomy().syncMode()).isEqualTo(SyncMode.UPSERT);
        assertThat(c.syncMode()).isEqualTo(SyncMode.ADD);
        assertThat(c.adestra().maxRetryTime()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void theTaxonomySettleDelayIsADurationOfAtLeastItsRequestTimeoutOrOff() {
        String taxonomy = "activations:\n  \"1001\": 678\ntaxonomy:\n  import-id: imp-1\n";
        assertThat(loader.parse(taxonomy + "  request-timeout: 2s\n", "t").taxonomy().settleDelay())
                .isEqualTo(Duration.ofSeconds(6));
        assertThat(loader.parse(taxonomy + "  settle-delay: 2m\n", "t").taxonomy().settleDelay())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(loader.parse(taxonomy + "  settle-delay: off\n", "t").taxonomy().settleDelay()).isZero();
        assertThat(problemsOf(taxonomy + "  settle-delay: 5s\n").problems()).containsExactly(
                "taxonomy.settle-delay: must be at least taxonomy.request-timeout (30000ms), or off; found 5000ms");
    }

    @Test
    void theSettleDelayIsADurationOfAtLeastTheRequestTimeoutOrOff() {
        assertThat(loader.parse(MINIMAL + "adestra:\n  request-timeout: 2s\n", "t").adestra().settleDelay())
                .isEqualTo(Duration.ofSeconds(6));
        assertThat(loader.parse(MINIMAL + "adestra:\n  settle-delay: 45s\n", "t").adestra().settleDelay())
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(loader.parse(MINIMAL + "adestra:\n  settle-delay: off\n", "t").adestra().settleDelay()).isZero();
        assertThat(problemsOf(MINIMAL + "adestra:\n  settle-delay: 5s\n").problems()).containsExactly(
                "adestra.settle-delay: must be at least adestra.request-timeout (10000ms), or off; found 5000ms");
    }

    @Test
    void kafkaSecretsTravelAsPlaceholdersThatTheKafkaClientsResolveWhereTheyRun(@TempDir Path dir) throws Exception {
        Path password = Files.createDirectories(dir.resolve("kafka")).resolve("keystore-password");
        Files.writeString(password, "keystore-s3cret");
        MirrorConfig c = loader.parse(MINIMAL + """
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: {env: ADESTRA_KEY}
                    ssl.keystore.password: {file: %s}
                """.formatted(password), "t");
        var props = c.kafka().orElseThrow().clientProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "${env:ADESTRA_KEY}")
                .containsEntry("ssl.keystore.password", "${dir:" + password.getParent() + ":keystore-password}")
                .containsEntry("config.providers", "env,dir")
                .containsEntry("bootstrap.servers", "broker:9093");
        assertThat(props.toString() + c).doesNotContain("s3cret");
        // What a Kafka client makes of them: Kafka's own config, resolving with the providers named.
        var client = new org.apache.kafka.clients.admin.AdminClientConfig(props);
        assertThat(client.getPassword("ssl.keystore.password").value()).isEqualTo("keystore-s3cret");

        // A value the user names providers for keeps them.
        MirrorConfig vault = loader.parse(MINIMAL + """
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties: {config.providers: vault, sasl.jaas.config: {env: ADESTRA_KEY}}
                """, "t");
        assertThat(vault.kafka().orElseThrow().clientProperties()).containsEntry("config.providers", "vault,env,dir");

        ConfigException e = problemsOf(MINIMAL + """
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties:
                    ssl.truststore.password: changeit
                """);
        assertThat(e.problems()).singleElement().asString()
                .startsWith("kafka.properties.ssl.truststore.password: a secret must not be written into the config file");
        assertThat(e.getMessage()).doesNotContain("changeit");
    }

    @Test
    void aKafkaSecretTheClientsWouldNotReadAsItIsMeantIsRefusedNamingItsKey(@TempDir Path dir) throws Exception {
        Path password = dir.resolve("keystore-password");
        Files.writeString(password, "changeit\n");
        Path jaas = dir.resolve("jaas");
        Files.writeString(jaas, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";\n");
        ConfigException e = problemsOf(MINIMAL + """
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties:
                    sasl.jaas.config: {file: %s}
                    ssl.keystore.password: {file: %s}
                    ssl.key.password: {env: NOT_SET_ANYWHERE}
                    ssl.truststore.password: {file: /etc/a:b/password}
                """.formatted(jaas, password));
        assertThat(e.problems()).containsExactly(
                // JAAS text ignores the line break; a password does not
                "kafka.properties.ssl.keystore.password: the value in file " + password + " starts or ends with spaces or a"
                        + " line break, which the Kafka client would take as part of it (its config providers use a value as"
                        + " written); remove them, e.g. printf '%s' \"$VALUE\" > " + password,
                "kafka.properties.ssl.key.password: environment variable NOT_SET_ANYWHERE is not set or empty",
                "kafka.properties.ssl.truststore.password: the file's path must not contain ':' or '}' (Kafka's config"
                        + " providers read it from the placeholder ${dir:/etc/a:b:password})");
        assertThat(e.getMessage()).doesNotContain("changeit");
    }

    @Test
    void aConfigIsLoadedForACommandAndOnlyTheSecretsItUsesAreRead(@TempDir Path dir) throws Exception {
        String both = MINIMAL.replace("taxonomy:\n", "taxonomy:\n  api-key: {env: PERMUTIVE_KEY}\n  base-url: https://api.permutive.app/audience-api/v1\n") + """
                inputs: {memberships: in/m.csv}
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs}
                  properties: {sasl.jaas.config: {env: KAFKA_SASL_JAAS_CONFIG}}
                """;
        Set<SecretUse> nightly = EnumSet.of(SecretUse.API_KEYS, SecretUse.STREAM_CONFIG_KAFKA);
        // The nightly run: the file's kafka: is the streaming job's, whose secret it does not read.
        assertThat(loader.reading(nightly).parse(both, "both.yaml").kafka()).isPresent();
        // The streaming job reads it, as does check (every secret).
        String unset = "kafka.properties.sasl.jaas.config: environment variable KAFKA_SASL_JAAS_CONFIG is not set or empty";
        assertThat(problemsOf(both).problems()).containsExactly(unset);
        assertThatThrownBy(() -> loader.reading(EnumSet.of(SecretUse.API_KEYS, SecretUse.KAFKA)).parse(both, "both.yaml"))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(unset));
        // The nightly run needs its API keys, not a Kafka client.
        assertThatThrownBy(() -> new ConfigLoader(Map.of("KAFKA_SASL_JAAS_CONFIG", "jaas")).reading(nightly).parse(both, "both.yaml"))
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("taxonomy.api-key: environment variable PERMUTIVE_KEY is not set or empty"));

        // With nightly.stream-config naming a streaming job in Kafka mode, the run hands it assertions
        // through its topic: that config's Kafka secrets are read, not its API keys.
        Path stream = Files.writeString(dir.resolve("stream.yaml"), """
                activations: {"1001": 678}
                adestra: {max-concurrency: 5, base-url: https://adestra.example.com/api, api-key: {env: STREAM_ADESTRA_KEY}}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                kafka:
                  bootstrap-servers: broker:9093
                  topics: {identities: ids, events: evs, assertions: asserted}
                  properties: {sasl.jaas.config: {env: KAFKA_SASL_JAAS_CONFIG}}
                """);
        String handsOff = MINIMAL + "adestra: {max-concurrency: 5}\nnightly: {stream-config: " + stream + "}\n";
        assertThatThrownBy(() -> loader.reading(nightly).parse(handsOff, "nightly.yaml"))
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("nightly.stream-config: " + stream + ": " + unset));
        assertThat(new ConfigLoader(Map.of("KAFKA_SASL_JAAS_CONFIG", "jaas")).reading(nightly).parse(handsOff, "nightly.yaml")
                .nightly().streamJob()).isPresent();
    }

    @Test
    void problemsACommandFindsInTheConfigAsReadAreReportedWithTheConfigsOwn() {
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> loader
                .alsoChecking(c -> List.of("inputs.memberships: " + c.inputs().memberships().orElseThrow() + " does not exist"))
                .parse(MINIMAL + "inputs: {memberships: in/m.csv}\nadestra: {max-concurrency: 11}\n", "t"));
        assertThat(e.problems()).containsExactly(
                "adestra.max-concurrency: must be between 1 and 10, found 11 (Adestra allows at most 10 concurrent connections per account)",
                "inputs.memberships: in/m.csv does not exist");
    }

    @Test
    void theStreamingJobsConfigIsReadAndMustGiveItAnAssertionsInput(@TempDir Path dir) throws Exception {
        Path stream = dir.resolve("stream.yaml");
        Files.writeString(stream, """
                activations: {"1001": 678, "1003": 681}
                adestra: {max-concurrency: 6}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events, assertions: in/assertions}
                nightly: {stream-config: /nonexistent/followed-no-further.yaml}
                """);
        MirrorConfig c = loader.parse(MINIMAL.replace("\"1001\": 678", "\"1001\": 678\n  \"1002\": 679")
                + "adestra: {max-concurrency: 4}\nnightly: {stream-config: " + stream + "}\n", "nightly.yaml");
        ListOwnership o = ListOwnership.of(c);
        assertThat(o.handedOff()).containsExactly(Map.entry("1001", 678L));
        assertThat(o.pushed()).containsExactly(679L);
        assertThat(o.streamJob().orElseThrow().assertionsTarget()).isEqualTo("folder in/assertions");

        Files.writeString(stream, """
                activations: {"1001": 678}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events}
                """);
        assertThat(problemsOf(MINIMAL + "nightly: {stream-config: " + stream + "}\n").problems()).singleElement().asString()
                .startsWith("nightly.stream-config: " + stream + " gives the streaming job no input for this run's assertions")
                .contains("inputs.assertions");

        assertThat(problemsOf(MINIMAL + "nightly: {stream-config: " + dir.resolve("missing.yaml") + "}\n").problems())
                .singleElement().asString().startsWith("nightly.stream-config: " + dir.resolve("missing.yaml") + ": ");
    }

    @Test
    void aCohortOnAListTheStreamWritesMustBeActivatedThereToo(@TempDir Path dir) throws Exception {
        Path stream = dir.resolve("stream.yaml");
        Files.writeString(stream, """
                activations: {"1001": 678}
                adestra: {max-concurrency: 6}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                kafka:
                  bootstrap-servers: localhost:9092
                  topics: {identities: ids, events: evs, assertions: asserted}
                """);
        ConfigException e = problemsOf("""
                activations: {"1001": 678, "1009": 678}
                adestra: {max-concurrency: 4}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                nightly: {stream-config: %s}
                """.formatted(stream));
        assertThat(e.problems()).singleElement().asString()
                .startsWith("activations.1009: list 678 is written by the streaming job (nightly.stream-config: " + stream
                        + "), which does not activate cohort 1009 to it");
    }

    /** A streaming job's config whose {@code adestra:} section is {@code adestra} (empty: its defaults). */
    private static Path streamConfig(Path dir, String adestra) throws Exception {
        return Files.writeString(dir.resolve("stream.yaml"), """
                activations: {"1001": 678}
                %s
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events, assertions: in/assertions}
                """.formatted(adestra));
    }

    @Test
    void aNightlyRunAndTheStreamingJobItNamesMayTogetherUseAtMostTheAccountsTenConnections(@TempDir Path dir)
            throws Exception {
        Path stream = streamConfig(dir, "adestra: {max-concurrency: 6}");
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> loader.parse(
                MINIMAL + "adestra: {max-concurrency: 8}\nnightly: {stream-config: " + stream + "}\n", "nightly.yaml"));
        assertThat(e.getMessage()).startsWith("invalid configuration nightly.yaml:");
        assertThat(e.problems()).singleElement().asString()
                .startsWith("adestra.max-concurrency: 8 in nightly.yaml plus 6 in " + stream + " (nightly.stream-config) is 14,"
                        + " more than the account's 10 concurrent connections: the nightly run and the streaming job write"
                        + " the same Adestra account at the same time; lower them so that they add up to at most 10");

        // A config that does not set it takes all 10.
        assertThat(problemsOf(MINIMAL + "adestra: {max-concurrency: 1}\nnightly: {stream-config: "
                + streamConfig(dir, "") + "}\n").problems()).singleElement().asString()
                .startsWith("adestra.max-concurrency: 1 in test.yaml plus 10 in " + stream + " (nightly.stream-config) is 11,");

        streamConfig(dir, "adestra: {max-concurrency: 6}");
        MirrorConfig fits = loader.parse(MINIMAL + "adestra: {max-concurrency: 4}\nnightly: {stream-config: " + stream + "}\n",
                "nightly.yaml");
        assertThat(fits.adestra().maxConcurrency() + fits.nightly().streamJob().orElseThrow().config().adestra().maxConcurrency())
                .isEqualTo(10);
        // Without a streaming job beside it, the nightly run may use all 10.
        assertThat(loader.parse(MINIMAL + "adestra: {max-concurrency: 10}\n", "nightly.yaml").adestra().maxConcurrency())
                .isEqualTo(10);
    }

    @Test
    void oneFileForBothJobsCountsItsMaxConcurrencyTwice(@TempDir Path dir) throws Exception {
        Path both = dir.resolve("both.yaml");
        String yaml = """
                activations: {"1001": 678}
                adestra: {max-concurrency: %d}
                taxonomy: {import-id: ede8970a-e828-5481-99ed-e3c07a3fc9f0}
                inputs: {identities: in/ids, events: in/events, assertions: in/assertions, memberships: in/m.csv}
                nightly: {stream-config: %s}
                """;
        Files.writeString(both, yaml.formatted(6, both));
        assertThatThrownBy(() -> loader.load(both)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("adestra.max-concurrency: 6 in " + both + ", which both jobs read (nightly.stream-config"
                                + " names that file), counts twice, 12, more than the account's 10 concurrent connections")
                        .endsWith("set it to at most 5, or give each job a file of its own"));

        Files.writeString(both, yaml.formatted(5, both));
        assertThat(loader.load(both).adestra().maxConcurrency()).isEqualTo(5);
    }
}

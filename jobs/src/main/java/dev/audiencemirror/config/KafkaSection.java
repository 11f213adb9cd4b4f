package dev.audiencemirror.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kafka:}, the streaming job's Kafka inputs; {@code properties} are the Kafka clients' own,
 * the secret ones given as where they are ({@link KafkaSecret}).
 */
final class KafkaSection {
    static final String KEY = "kafka";

    private KafkaSection() {}

    /** Empty when the file has no {@code kafka:} (the streaming job then reads files). */
    static Optional<KafkaSettings> read(Fields root) {
        if (!root.has(KEY)) {
            return Optional.empty();
        }
        Fields f = root.mapping(KEY);
        String servers = f.required("bootstrap-servers", "the Kafka brokers, e.g. broker-1:9092,broker-2:9092");
        String groupId = f.string("group-id", "audience-mirror");
        Fields topics = f.mapping("topics");
        String identities = topics.required("identities", "the topic of identity records");
        String events = topics.required("events", "the topic of SegmentEntry/SegmentExit events");
        String segments = topics.string("segments", null);
        String deadLetter = topics.string("dead-letter", null);
        String assertions = topics.string("assertions", null);

        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, KafkaSecret> secrets = new LinkedHashMap<>();
        Fields props = f.mapping("properties");
        for (Map.Entry<String, JsonNode> e : props.entries()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            boolean value = v.isValueNode() && !v.isNull();
            if (v.isObject() || (value && SecretPolicy.looksSecret(name))) {
                props.reference(name, "a secret").map(r -> new KafkaSecret(name, r.env(), r.where())).ifPresent(secret -> {
                    Optional<String> problem = secret.placeholderProblem()
                            .or(() -> props.reads(SecretUse.KAFKA) ? secret.readProblem(props.env()) : Optional.empty());
                    problem.ifPresent(p -> props.problem(name, p));
                    secrets.put(name, secret);
                });
            } else if (value) {
                plain.put(name, v.asText());
            } else {
                props.problem(name, "expected a value or {env|file: ...}, found " + Fields.kind(v));
            }
        }
        return Optional.of(new KafkaSettings(servers, groupId, identities, events, segments, deadLetter, assertions,
                plain, secrets));
    }
}

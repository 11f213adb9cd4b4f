package dev.audiencemirror.stream;

import dev.audiencemirror.config.KafkaSettings;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Kafka mode: {@code KafkaSource}s on the identity, event and (optional) segment-definition and
 * nightly-assertion topics, and the rejects and dead letters to the dead-letter topic, or to files under
 * {@code stream.dead-letter-dir} when no dead-letter topic is configured.
 *
 * <p>Offsets: the sources' positions live in Flink's checkpoints, with the state built from what
 * they read (that is what a restore resumes from). They are also committed to the consumer group at
 * each completed checkpoint, for lag dashboards only: a job without state starts at the earliest
 * offset (a first start, or a rebuild: the topics' history, for the compacted segment topic every
 * live definition), never at the committed ones ({@link StartPlan}).
 *
 * <p>The dead-letter topic is written with Kafka transactions committed at each checkpoint, so a
 * restart never writes a record twice; read it with {@code isolation.level=read_committed}. Each
 * record's value is the JSON line the file mode would write, its key the input position
 * ({@code kafka:topic/partition:offset}) or the destination's operation key, and its header
 * {@value #KIND_HEADER} says which output it is: {@code rejected-input}, {@code adestra} or
 * {@code taxonomy}.
 */
public final class KafkaConnections implements StreamConnections {
    public static final String KIND_HEADER = "audience-mirror-kind";
    /** At most the broker's default transaction.max.timeout.ms: Flink's own default (1 h) is refused. */
    static final String TRANSACTION_TIMEOUT = String.valueOf(15 * 60 * 1000);

    private final KafkaSettings kafka;
    private final Optional<FileOutputs> fileOutputs;

    KafkaConnections(MirrorConfig config) {
        this.kafka = config.kafka().orElseThrow(() -> new IllegalArgumentException("kafka: not configured"));
        // Without a dead-letter topic the outputs go to files, as in file mode.
        this.fileOutputs = kafka.deadLetterTopic() == null
                ? Optional.of(new FileOutputs(config.stream().deadLetterDir()))
                : Optional.empty();
    }

    @Override
    public DataStream<NumberedLine> identities(StreamExecutionEnvironment env) {
        return env.fromSource(source(kafka.identitiesTopic(), "identities", new KafkaLines.Lines()),
                        WatermarkStrategy.noWatermarks(), "kafka identities")
                .uid("identities-kafka");
    }

    @Override
    public DataStream<NumberedLine> events(StreamExecutionEnvironment env) {
        return env.fromSource(source(kafka.eventsTopic(), "events", new KafkaLines.Lines()),
                        WatermarkStrategy.noWatermarks(), "kafka events")
                .uid("events-kafka");
    }

    @Override
    public Optional<DataStream<NumberedLine>> assertions(StreamExecutionEnvironment env) {
        if (kafka.assertionsTopic() == null) {
            return Optional.empty();
        }
        return Optional.of(env.fromSource(source(kafka.assertionsTopic(), "assertions", new KafkaLines.Lines()),
                        WatermarkStrategy.noWatermarks(), "kafka assertions")
                .uid("assertions-kafka"));
    }

    @Override
    public Optional<DataStream<SegmentRecord>> segments(StreamExecutionEnvironment env) {
        if (kafka.segmentsTopic() == null) {
            return Optional.empty();
        }
        return Optional.of(env.fromSource(source(kafka.segmentsTopic(), "segments", new KafkaLines.Segments()),
                        WatermarkStrategy.noWatermarks(), "kafka segments")
                .uid("segments-kafka"));
    }

    private <T> KafkaSource<T> source(String topic, String name, KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                .setProperties(kafka.clientProperties())
                .setTopics(List.of(topic))
                .setGroupId(kafka.groupId())
                .setClientIdPrefix(kafka.groupId() + "-" + name)
                // Never the group's committed offsets: a start without state begins at the earliest
                // offset, and StreamStart refuses one that would skip what the group had read.
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setDeserializer(deserializer)
                .build();
    }

    @Override
    public Sink<ParseError> rejects() {
        if (fileOutputs.isPresent()) {
            return fileOutputs.get().rejects();
        }
        return deadLetterTopic("rejects", "rejected-input",
                e -> e.source() + ":" + e.position(), ParseErrorJsonEncoder::toJson);
    }

    @Override
    public Sink<DeadLetter> deadLetters(String destination) {
        if (fileOutputs.isPresent()) {
            return fileOutputs.get().deadLetters(destination);
        }
        return deadLetterTopic(destination + "-dead-letters", destination, DeadLetter::key, DeadLetter::toJson);
    }

    /**
     * One transactional producer per output: each needs its own transactional-id prefix, or the
     * sinks would abort each other's transactions on a restart.
     */
    private <T> KafkaSink<T> deadLetterTopic(String name, String kind, SerializableFunction<T, String> key,
            SerializableFunction<T, String> json) {
        Properties props = kafka.clientProperties();
        props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT);
        String topic = kafka.deadLetterTopic();
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(props)
                .setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.groupId() + "-" + name)
                .setRecordSerializer((KafkaRecordSerializationSchema<T>) (element, context, timestamp) -> {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, timestamp,
                            key.apply(element).getBytes(StandardCharsets.UTF_8),
                            json.apply(element).getBytes(StandardCharsets.UTF_8));
                    record.headers().add(new RecordHeader(KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8)));
                    return record;
                })
                .build();
    }
}

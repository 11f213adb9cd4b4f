package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the streaming job reads its inputs and writes its dead letters: the seam between the job's
 * logic ({@link StreamJob}) and the outside. Records come in raw, one per line or Kafka record, as
 * {@link NumberedLine}s ({@code source} = file name or {@code topic/partition}, {@code number} =
 * line number or offset), and are parsed by the job, so every implementation gets the same
 * checks and rejects.
 *
 * <p>Implementations: {@link FileConnections} (watched folders, dead letters to files: the
 * embedded default); {@link KafkaConnections} (KafkaSources on the configured topics, dead letters
 * to the dead-letter topic); tests supply their own. Sources must be replayable from
 * checkpoints (FileSource and KafkaSource are) and should set their own {@code uid}.
 */
public interface StreamConnections {

    /** Identity records: JSON Lines, {@code state-schemas/.../identity.schema.json}. */
    DataStream<NumberedLine> identities(StreamExecutionEnvironment env);

    /** Events, SegmentEntry/SegmentExit among others: {@code state-schemas/.../event.schema.json}. */
    DataStream<NumberedLine> events(StreamExecutionEnvironment env);

    /**
     * Membership assertions a nightly run hands this job for the lists it writes
     * ({@code state-schemas/.../assertion.schema.json}); empty when there is no such input.
     */
    default Optional<DataStream<NumberedLine>> assertions(StreamExecutionEnvironment env) {
        return Optional.empty();
    }

    /**
     * Segment definitions, keyed by code with tombstones for deletions (a compacted topic), when
     * the job keeps the taxonomy in step; empty when there is no such input.
     */
    default Optional<DataStream<SegmentRecord>> segments(StreamExecutionEnvironment env) {
        return Optional.empty();
    }

    /** Input records the job could not use, with field, reason and the raw record. */
    Sink<ParseError> rejects();

    /**
     * Operations a destination refused for good, with status and reason. Called once per
     * destination ({@code adestra}, {@code taxonomy}): each sink gets its own output.
     */
    Sink<DeadLetter> deadLetters(String destination);

    /** The connections the config describes: Kafka when {@code kafka:} is set, watched folders otherwise. */
    static StreamConnections forConfig(MirrorConfig config) {
        return config.kafka().isPresent() ? new KafkaConnections(config) : new FileConnections(config);
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
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
 * embedded default); a Kafka one (KafkaSource on the configured topics, dead letters to the
 * dead-letter topic) is to come; tests supply their own. Sources must be replayable from
 * checkpoints (FileSource and KafkaSource are) and should set their own {@code uid}.
 */
public interface StreamConnections {

    /** Identity records: JSON Lines, {@code state-schemas/.../identity.schema.json}. */
    DataStream<NumberedLine> identities(StreamExecutionEnvironment env);

    /** Events, SegmentEntry/SegmentExit among others: {@code state-schemas/.../event.schema.json}. */
    DataStream<NumberedLine> events(StreamExecutionEnvironment env);

    /** Input records the job could not use, with field, reason and the raw record. */
    Sink<ParseError> rejects();

    /** List operations Adestra refused for good, with status and reason. */
    Sink<DeadLetter> deadLetters();

    /** The connections the config describes: Kafka when {@code kafka:} is set, watched folders otherwise. */
    static StreamConnections forConfig(MirrorConfig config) {
        if (config.kafka().isPresent()) {
            throw new UnsupportedOperationException("the streaming job does not read Kafka yet (issue 7): remove the"
                    + " kafka: section to read inputs.identities and inputs.events as watched folders");
        }
        return new FileConnections(config);
    }
}

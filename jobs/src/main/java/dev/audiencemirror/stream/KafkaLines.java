package dev.audiencemirror.stream;

import dev.audiencemirror.files.NumberedLine;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records as the job's raw input lines: parsing happens in the job, where a bad record
 * becomes a reject with its reason instead of a deserialization failure that would stop the
 * source. The line is labelled {@code kafka:topic/partition} at its offset, so a reject points
 * at the exact record. A record without a value becomes an empty line, which the parsers count
 * as ignored.
 */
final class KafkaLines {
    private KafkaLines() {}

    private static final byte[] EMPTY = new byte[0];

    static String source(ConsumerRecord<?, ?> record) {
        return "kafka:" + record.topic() + "/" + record.partition();
    }

    static final class Lines implements KafkaRecordDeserializationSchema<NumberedLine> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<NumberedLine> out) {
            out.collect(new NumberedLine(source(record), record.offset(), record.value() == null ? EMPTY : record.value()));
        }

        @Override
        public TypeInformation<NumberedLine> getProducedType() {
            return TypeInformation.of(NumberedLine.class);
        }
    }

    static final class Segments implements KafkaRecordDeserializationSchema<SegmentRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SegmentRecord> out) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            out.collect(new SegmentRecord(source(record), record.offset(), key, record.value()));
        }

        @Override
        public TypeInformation<SegmentRecord> getProducedType() {
            return TypeInformation.of(SegmentRecord.class);
        }
    }
}

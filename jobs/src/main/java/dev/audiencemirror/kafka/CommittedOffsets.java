package dev.audiencemirror.kafka;

import dev.audiencemirror.config.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a consumer group has committed on the job's topics: per topic, how many partitions carry a
 * committed offset and the sum of those offsets (the records the group had passed). The streaming
 * job never starts from these offsets; that they exist says a job of this group handled the records
 * before them, so a start without that job's state would lose what it built from them.
 */
public final class CommittedOffsets {
    /** One topic's committed offsets: {@code partitions} with a commit, {@code records} the sum of the offsets. */
    public record Topic(int partitions, long records) {}

    private CommittedOffsets() {}

    /** Per topic of {@code topics} with at least one committed offset of {@code kafka.groupId()}; empty when none. */
    public static Map<String, Topic> of(KafkaSettings kafka, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = kafka.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        Map<String, Topic> out = new TreeMap<>();
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(kafka.groupId())
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            committed.forEach((tp, offset) -> {
                if (offset != null && topics.contains(tp.topic())) {
                    out.merge(tp.topic(), new Topic(1, offset.offset()),
                            (a, b) -> new Topic(a.partitions() + b.partitions(), a.records() + b.records()));
                }
            });
        }
        return out;
    }
}

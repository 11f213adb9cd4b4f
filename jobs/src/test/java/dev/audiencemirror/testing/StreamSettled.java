package dev.audiencemirror.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.SinkMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Waits until a Kafka-mode streaming job has done all it will do with what was produced: its
 * consumer group's lag is 0 on every partition of its identity and event topics (the Kafka source
 * commits offsets when a checkpoint completes, and the net diff closes every window before a
 * checkpoint's barrier, so every operation is then with the Adestra sender), and the sender has
 * nothing pending (unacknowledged, settling) and no request in flight. Only then are the lists
 * worth comparing: a test that waits for the lists to match first could stop before a late change.
 *
 * <p>The source runs an offset commit only between two polls of its consumer, and an idle poll
 * waits 10 s: so while waiting, each partition gets a record without a value every 250 ms (read
 * as an empty line, which the job ignores), and the lag is taken against the end offsets when the
 * wait began. The segment topic gets none (there, a record without a value is a tombstone): what
 * it leads to, the taxonomy import, is the caller's {@code alsoDone}.
 *
 * <p>The sender's counts are the job's accumulators, fresh as of the last TaskManager heartbeat
 * ({@link #HEARTBEATS}); so the settled state must hold, with no operation applied meanwhile, for
 * longer than a heartbeat plus the reading's own delay.
 */
public final class StreamSettled {
    private StreamSettled() {}

    /** For a MiniCluster whose jobs are read this way: accumulators reach the client every second. */
    public static final Map<String, String> HEARTBEATS = Map.of("heartbeat.interval", "1 s");

    /** {@link #HEARTBEATS} with {@code more} settings. */
    public static Configuration heartbeatsEverySecond(Configuration more) {
        Configuration c = Configuration.fromMap(HEARTBEATS);
        c.addAll(more);
        return c;
    }

    /** The Adestra sender's counts: pending operations, requests in flight, operations applied. */
    public record Sender(long pending, long inFlight, long applied) {
        boolean idle() {
            return pending == 0 && inFlight == 0;
        }

        static Sender of(Function<String, Long> accumulator) {
            return new Sender(accumulator.apply(adestra(SinkMetrics.PENDING)), accumulator.apply(adestra(SinkMetrics.IN_FLIGHT)),
                    accumulator.apply(adestra(SinkMetrics.SUCCEEDED)));
        }

        private static String adestra(String metric) {
            return SinkMetrics.accumulator(AdestraSink.ACCUMULATORS, metric);
        }
    }

    /** Where the sender's counts are read, and how old they may be when read. */
    public interface SenderReading {
        /** The counts, or null while there are none yet (no status line, job not running). */
        Sender read() throws Exception;

        /** How much older than the moment of reading the counts may be. */
        Duration staleness();
    }

    /** The accumulators of a job on a MiniCluster with {@link #HEARTBEATS}. */
    public static SenderReading of(JobClient job) {
        return new SenderReading() {
            @Override
            public Sender read() throws Exception {
                Map<String, Object> acc = job.getAccumulators().get(30, TimeUnit.SECONDS);
                return acc.isEmpty() ? null : Sender.of(name -> acc.get(name) instanceof Number n ? n.longValue() : 0L);
            }

            @Override
            public Duration staleness() {
                return Duration.ofSeconds(1);
            }
        };
    }

    /** A cluster's REST API ({@code GET /jobs/<id>/accumulators}), its heartbeats every second. */
    public static SenderReading ofRest(Function<String, JsonNode> get, String jobId) {
        return new SenderReading() {
            @Override
            public Sender read() {
                Map<String, Long> acc = new HashMap<>();
                for (JsonNode a : get.apply("/jobs/" + jobId + "/accumulators").path("user-task-accumulators")) {
                    try {
                        acc.put(a.path("name").asText(), Long.parseLong(a.path("value").asText()));
                    } catch (NumberFormatException notACount) {
                        // another kind of accumulator
                    }
                }
                return acc.isEmpty() ? null : Sender.of(name -> acc.getOrDefault(name, 0L));
            }

            @Override
            public Duration staleness() {
                return Duration.ofSeconds(1);
            }
        };
    }

    private static final Pattern STATUS = Pattern.compile(
            "list operations (\\d+) sent \\((\\d+) applied, (\\d+) dead letters\\), (\\d+) pending");

    /**
     * The last status line of {@code bin/mirror stream} (with {@code stream.status-interval: 1s})
     * in {@code output}: in flight is what was sent and neither applied nor dead-lettered.
     */
    public static SenderReading ofStatusLines(Supplier<String> output) {
        return new SenderReading() {
            @Override
            public Sender read() {
                Sender last = null;
                for (String line : output.get().lines().filter(l -> l.startsWith("status ")).toList()) {
                    Matcher m = STATUS.matcher(line);
                    if (m.find()) {
                        long sent = Long.parseLong(m.group(1));
                        long applied = Long.parseLong(m.group(2));
                        last = new Sender(Long.parseLong(m.group(4)), sent - applied - Long.parseLong(m.group(3)), applied);
                    }
                }
                return last;
            }

            @Override
            public Duration staleness() {
                return Duration.ofSeconds(2); // a heartbeat, then the next line a second later
            }
        };
    }

    /** End offsets of every partition of {@code topics}. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).forEach((tp, end) -> out.put(tp, end.offset()));
        return out;
    }

    /** Per partition of {@code ends}: its end offset there minus the group's committed offset (none committed: 0), at least 0. */
    public static Map<TopicPartition, Long> lag(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> lag = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            lag.put(tp, Math.max(0, end - (c == null ? 0 : c.offset())));
        });
        return lag;
    }

    /** As {@link #await(Properties, String, List, SenderReading, Duration, Callable)} with nothing else to wait for. */
    public static void await(Properties kafka, String group, List<String> lineTopics, SenderReading sender, Duration timeout)
            throws Exception {
        await(kafka, group, lineTopics, sender, timeout, () -> true);
    }

    /**
     * Waits until the group's lag is 0 on every partition of {@code lineTopics} (the identity and
     * event topics: every record produced before the call read and checkpointed), and the sender is idle,
     * and both stay so, with no operation applied meanwhile, for longer than the counts may be
     * stale; and {@code alsoDone} holds (what has no count to read: the taxonomy import, whose
     * sender publishes none, or the dead-letter topic's transactions, committed after the same
     * checkpoint). Fails after {@code timeout}, naming the lag and the counts last seen.
     */
    public static void await(Properties kafka, String group, List<String> lineTopics, SenderReading sender, Duration timeout,
            Callable<Boolean> alsoDone) throws Exception {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long lagZeroAt = 0;
        long hold = sender.staleness().plusMillis(500).toNanos();
        long settledSince = 0;
        Sender settled = null;
        Map<TopicPartition, Long> lag = Map.of();
        Sender counts = null;
        try (Admin admin = Admin.create(kafka); Nudges nudges = new Nudges(kafka)) {
            Map<TopicPartition, Long> ends = endOffsets(admin, lineTopics);
            while (System.nanoTime() < deadline) {
                nudges.send(ends.keySet());
                lag = lag(admin, group, ends);
                counts = sender.read();
                if (lagZeroAt == 0 && lag.values().stream().allMatch(l -> l == 0)) {
                    lagZeroAt = System.nanoTime();
                }
                boolean now = lag.values().stream().allMatch(l -> l == 0) && counts != null && counts.idle();
                if (!now || (settled != null && settled.applied() != counts.applied())) {
                    settled = null;
                } else if (settled == null) {
                    settled = counts;
                    settledSince = System.nanoTime();
                } else if (System.nanoTime() - settledSince >= hold) {
                    if (alsoDone.call()) {
                        System.out.printf("settled after %.1f s (lag 0 after %.1f s): %s%n", (System.nanoTime() - started) / 1e9,
                                (lagZeroAt - started) / 1e9, counts);
                        return;
                    }
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the stream did not settle within " + timeout.toSeconds() + " s: group " + group
                + " lag " + lag + ", Adestra sender " + counts + (settled != null ? " (settled; the rest not done)" : ""));
    }

    /** Records without a value, one to each partition: each wakes the source's poll, so a waiting offset commit runs. */
    private static final class Nudges implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;

        Nudges(Properties kafka) {
            Properties p = new Properties();
            p.putAll(kafka);
            p.put("key.serializer", ByteArraySerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }

        void send(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, null)));
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}

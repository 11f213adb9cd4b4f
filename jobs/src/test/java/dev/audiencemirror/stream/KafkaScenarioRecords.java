package dev.audiencemirror.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A stream scenario's identity and event lines plus segment definitions as Kafka records, in the
 * order they are produced, each keyed by its user ({@link #keyedByUser}), for the Kafka end-to-end tests (the MiniCluster one in this package
 * and the multi-process cluster one): produce them all at once or in slices, then ask for the
 * dead-letter keys ({@code kafka:<topic>/<partition>:<offset>}) the planted bad records must get.
 * Also reads a topic as a {@code read_committed} consumer.
 */
public final class KafkaScenarioRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Segment definitions with updates and tombstones, two bad records, and the import they must leave. */
    public static final class Segments {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        final SortedMap<String, Segment> expected = new TreeMap<>();
        /** Indexes in {@link #records} of the bad ones. */
        final Set<Integer> planted = new TreeSet<>();

        public Segments(SplittableRandom random, String topic) {
            Map<String, Segment> live = new HashMap<>();
            for (int i = 0; i < 60; i++) {
                String code = "seg-" + random.nextInt(25);
                if (live.containsKey(code) && random.nextDouble() < 0.25) {
                    records.add(new ProducerRecord<>(topic, bytes(code), null));
                    live.remove(code);
                } else {
                    Segment s = new Segment(code, "Segment " + code + " v" + i, random.nextBoolean() ? "about " + code : null,
                            random.nextBoolean() ? 1.0 + random.nextInt(5) : null, random.nextBoolean() ? List.of("news") : null);
                    records.add(new ProducerRecord<>(topic, bytes(code), bytes(json(s))));
                    live.put(code, s);
                }
            }
            plant(random, new ProducerRecord<>(topic, bytes("seg-x"), bytes("{\"code\": \"seg-x\"")));
            plant(random, new ProducerRecord<>(topic, bytes("seg-y"), bytes("{\"code\":\"seg-z\",\"name\":\"Z\"}")));
            expected.putAll(live);
        }

        /** What the taxonomy import must hold once every record is read: the live definitions by code. */
        public SortedMap<String, Segment> expected() {
            return expected;
        }

        private void plant(SplittableRandom random, ProducerRecord<byte[], byte[]> bad) {
            int at = random.nextInt(records.size() + 1);
            records.add(at, bad);
            Set<Integer> moved = new TreeSet<>();
            planted.forEach(p -> moved.add(p >= at ? p + 1 : p));
            planted.clear();
            planted.addAll(moved);
            planted.add(at);
        }

        private static String json(Segment s) {
            return dev.audiencemirror.testing.SegmentLines.json(s);
        }
    }

    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();
    /** Indexes in {@link #records} of the planted bad records. */
    private final Set<Integer> planted = new TreeSet<>();

    /**
     * @param planted bad lines as "identities:N" / "events:N", N the 1-based line number
     * @param spreadSegments false: all segment records first; true: spread evenly among the others
     */
    public KafkaScenarioRecords(List<String> identityLines, List<String> eventLines, Set<String> planted,
            Segments segments, String identitiesTopic, String eventsTopic, boolean spreadSegments) {
        List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
        List<Integer> identityIndex = new ArrayList<>();
        List<Integer> eventIndex = new ArrayList<>();
        int i = 0;
        int e = 0;
        // Interleaved, identities a little ahead of events on average, but not always.
        while (i < identityLines.size() || e < eventLines.size()) {
            if (i < identityLines.size() && (e >= eventLines.size() || (i + e) % 6 == 0)) {
                identityIndex.add(stream.size());
                stream.add(keyedByUser(identitiesTopic, identityLines.get(i++)));
            } else {
                eventIndex.add(stream.size());
                stream.add(keyedByUser(eventsTopic, eventLines.get(e++)));
            }
        }
        // Where each stream record and each segment record ends up in the produce order.
        int[] streamAt = new int[stream.size()];
        int[] segmentAt = new int[segments.records.size()];
        int s = 0;
        for (int k = 0; k <= stream.size(); k++) {
            // Before stream record k: the segments due by then (all of them before record 0 unless spread).
            int due = spreadSegments ? (int) ((long) k * segments.records.size() / Math.max(1, stream.size())) : segments.records.size();
            while (s < due || (k == stream.size() && s < segments.records.size())) {
                segmentAt[s] = records.size();
                records.add(segments.records.get(s++));
            }
            if (k < stream.size()) {
                streamAt[k] = records.size();
                records.add(stream.get(k));
            }
        }
        for (String spot : planted) {
            String[] sp = spot.split(":");
            int line = Integer.parseInt(sp[1]);
            this.planted.add(streamAt[(sp[0].equals("events") ? eventIndex : identityIndex).get(line - 1)]);
        }
        segments.planted.forEach(p -> this.planted.add(segmentAt[p]));
    }

    /**
     * A record keyed by the user it names ({@code user_id}, or {@code alias:<tag>:<id>} for an event
     * naming the contact alias; no key for a line that is not such JSON), as the README asks: a
     * user's records in one partition keep their input order, which decides same-time identities.
     */
    public static ProducerRecord<byte[], byte[]> keyedByUser(String topic, String line) {
        String key = null;
        try {
            JsonNode n = JSON.readTree(line);
            if (n != null && n.path("user_id").isTextual()) {
                key = n.path("user_id").asText();
            } else if (n != null && n.path("alias").isObject()) {
                key = "alias:" + n.path("alias").path("tag").asText() + ":" + n.path("alias").path("id").asText();
            }
        } catch (Exception notJson) {
            // a planted bad record: no key
        }
        return new ProducerRecord<>(topic, key == null ? null : bytes(key), bytes(line));
    }

    /** How many records there are to produce. */
    public int size() {
        return records.size();
    }

    /** A producer of byte keys and values for {@code clientProperties} (bootstrap.servers, ...). */
    public static KafkaProducer<byte[], byte[]> producer(Properties clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        return new KafkaProducer<>(p);
    }

    /**
     * Produces records {@code from} (inclusive) to {@code to} (exclusive), the next ones in order,
     * at about 600 records/s (a flush and 50 ms pause every 30), and flushes.
     */
    public void produce(KafkaProducer<byte[], byte[]> producer, int from, int to) throws InterruptedException {
        if (from != sent.size()) {
            throw new IllegalArgumentException("records are produced in order: next is " + sent.size() + ", not " + from);
        }
        for (int k = from; k < Math.min(to, records.size()); k++) {
            sent.add(producer.send(records.get(k)));
            if (sent.size() % 30 == 0) {
                producer.flush();
                Thread.sleep(50);
            }
        }
        producer.flush();
    }

    /** The slices of {@code n} nearly equal parts, as [from, to) pairs. */
    public List<int[]> slices(int n) {
        int size = (records.size() + n - 1) / n;
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(new int[] {Math.min(records.size(), k * size), Math.min(records.size(), (k + 1) * size)});
        }
        return out;
    }

    /** The dead-letter keys of the planted bad records, {@code kafka:<topic>/<partition>:<offset>}; all must be produced. */
    public Set<String> plantedPositions() throws Exception {
        Set<String> out = new TreeSet<>();
        for (int index : planted) {
            if (index >= sent.size()) {
                throw new IllegalStateException("planted record " + index + " not produced yet");
            }
            RecordMetadata m = sent.get(index).get();
            out.add("kafka:" + m.topic() + "/" + m.partition() + ":" + m.offset());
        }
        return out;
    }

    /** Everything committed to {@code topic} so far, as a read_committed consumer sees it. */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(Properties clientProperties, String topic) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The distinct keys of {@link #readCommitted}'s records. */
    public static Set<String> committedKeys(Properties clientProperties, String topic) {
        Set<String> keys = new TreeSet<>();
        readCommitted(clientProperties, topic).forEach(r -> keys.add(key(r)));
        return keys;
    }

    public static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    /** A dead-letter record's kind header: {@code rejected-input}, {@code adestra} or {@code taxonomy}. */
    public static String kind(ConsumerRecord<byte[], byte[]> r) {
        var h = r.headers().lastHeader(KafkaConnections.KIND_HEADER);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.audiencemirror.redrive;

import dev.audiencemirror.config.KafkaSettings;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.redrive.Letter.Destination;
import dev.audiencemirror.stream.KafkaConnections;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where the streaming job's dead letters of one destination are, for reading them and for adding
 * what a redrive did: the dead-letter topic (Kafka mode with {@code kafka.topics.dead-letter};
 * records whose kind header is the destination, read committed) or the JSON Lines files under
 * {@code stream.dead-letter-dir/dead-letters/<destination>/} (finished files only; a redrive adds one).
 */
abstract class DeadLetterStore {

    abstract List<Letter> read() throws IOException;

    /** Appends JSON lines (refusals met again, and notes of what was applied). */
    abstract void append(List<Letter> forKeys, List<String> jsonLines) throws IOException;

    abstract String describe();

    final Destination destination;

    DeadLetterStore(Destination destination) {
        this.destination = destination;
    }

    static DeadLetterStore forConfig(MirrorConfig config, Destination destination) {
        if (config.kafka().isPresent() && config.kafka().get().deadLetterTopic() != null) {
            return new InTopic(config.kafka().get(), destination);
        }
        return new InFiles(Path.of(config.stream().deadLetterDir(), "dead-letters", destination.id), destination);
    }

    private static final class InFiles extends DeadLetterStore {
        private final Path dir;

        InFiles(Path dir, Destination destination) {
            super(destination);
            this.dir = dir;
        }

        @Override
        List<Letter> read() throws IOException {
            List<Letter> out = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                return out;
            }
            List<Path> files;
            try (Stream<Path> all = Files.list(dir)) {
                // Hidden files are parts still being written (or a redrive's file being written).
                files = all.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                        .sorted().toList();
            }
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Letter.parse(destination, lines.get(i), f.getFileName() + ":" + (i + 1)).ifPresent(out::add);
                }
            }
            return out;
        }

        @Override
        void append(List<Letter> forKeys, List<String> jsonLines) throws IOException {
            if (jsonLines.isEmpty()) {
                return;
            }
            Files.createDirectories(dir);
            String name = "redrive-" + System.currentTimeMillis() + ".jsonl";
            Path tmp = dir.resolve("." + name);
            Files.write(tmp, jsonLines, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        String describe() {
            return dir.toString();
        }
    }

    private static final class InTopic extends DeadLetterStore {
        private final KafkaSettings kafka;

        InTopic(KafkaSettings kafka, Destination destination) {
            super(destination);
            this.kafka = kafka;
        }

        @Override
        List<Letter> read() {
            Properties p = kafka.clientProperties();
            p.put("isolation.level", "read_committed");
            p.put("enable.auto.commit", "false");
            List<Letter> out = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(kafka.deadLetterTopic(), Duration.ofSeconds(30)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
                while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        Header kind = r.headers().lastHeader(KafkaConnections.KIND_HEADER);
                        if (kind != null && destination.id.equals(new String(kind.value(), StandardCharsets.UTF_8))
                                && r.value() != null) {
                            Letter.parse(destination, new String(r.value(), StandardCharsets.UTF_8),
                                    r.topic() + "/" + r.partition() + ":" + r.offset()).ifPresent(out::add);
                        }
                    }
                }
            }
            return out;
        }

        @Override
        void append(List<Letter> forKeys, List<String> jsonLines) throws IOException {
            Properties p = kafka.clientProperties();
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < jsonLines.size(); i++) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(kafka.deadLetterTopic(),
                            forKeys.get(i).key().getBytes(StandardCharsets.UTF_8),
                            jsonLines.get(i).getBytes(StandardCharsets.UTF_8));
                    r.headers().add(new RecordHeader(KafkaConnections.KIND_HEADER, destination.id.getBytes(StandardCharsets.UTF_8)));
                    producer.send(r);
                }
                producer.flush();
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new IOException("cannot write to the dead-letter topic " + kafka.deadLetterTopic() + ": " + e.getMessage(), e);
            }
        }

        @Override
        String describe() {
            return "Kafka topic " + kafka.deadLetterTopic();
        }
    }
}

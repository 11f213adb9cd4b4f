package dev.audiencemirror.nightly;

import dev.audiencemirror.config.KafkaSettings;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.config.StreamJobConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.connector.taxonomy.TaxonomySink;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.files.JsonLinesSink;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.parse.JsonLineParser;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The nightly run's second job, in batch mode: reads the plan the first job wrote and sends it
 * through the connectors, with their limits and retries. What a destination refuses lands in the
 * run's {@code dead-letters/} folder, which decides what the committed snapshot leaves out.
 */
final class PushJob {
    private PushJob() {}

    /** @param handoff the streaming job to hand the plan's assertions to, or null for none */
    static JobExecutionResult run(MirrorConfig config, Configuration flinkConf, PlanJob.Layout plan, Destinations dest,
            Path deadLetters, long version, boolean listOps, boolean segmentOps, StreamJobConfig handoff, JobListener progress)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.registerJobListener(progress);
        FileSink<DeadLetter> deadLetterSink = JsonLinesSink.to(deadLetters, new DeadLetterJsonEncoder());

        if (listOps) {
            addAdestra(env, config, plan, dest, deadLetterSink, version);
        }
        if (segmentOps) {
            addTaxonomy(env, config, plan, dest, deadLetterSink, version);
        }
        if (handoff != null) {
            addHandoff(env, plan, handoff);
        }
        return env.execute("audience-mirror nightly: push");
    }

    private static void addAdestra(StreamExecutionEnvironment env, MirrorConfig config, PlanJob.Layout plan,
            Destinations dest, FileSink<DeadLetter> deadLetterSink, long version) {
        AdestraSink adestra = dest.adestraSink(config, deadLetterSink);
        planLines(env, plan.listOps(), "list operations")
                .flatMap((NumberedLine line, Collector<ListOperation> out) -> {
                    String text = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (!text.isBlank()) {
                        out.collect(((PlannedOperation.ListOp) PlannedOperation.decode(text)).toOperation(version));
                    }
                })
                .returns(TypeInformation.of(ListOperation.class))
                .name("plan to list operations")
                .sinkTo(adestra)
                .name("adestra")
                .uid("adestra-sink")
                .setParallelism(Destinations.adestraParallelism(config, env.getParallelism()));
    }

    private static void addTaxonomy(StreamExecutionEnvironment env, MirrorConfig config, PlanJob.Layout plan,
            Destinations dest, FileSink<DeadLetter> deadLetterSink, long version) {
        TaxonomySink taxonomy = dest.taxonomySink(config, deadLetterSink);
        planLines(env, plan.segmentOps(), "segment operations")
                .flatMap((NumberedLine line, Collector<TaxonomyOperation> out) -> {
                    String text = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (!text.isBlank()) {
                        out.collect(((PlannedOperation.SegmentOp) PlannedOperation.decode(text)).toOperation(version));
                    }
                })
                .returns(TypeInformation.of(TaxonomyOperation.class))
                .name("plan to segment operations")
                .sinkTo(taxonomy)
                .name("taxonomy")
                .uid("taxonomy-sink")
                // Batches for one import go out one at a time: one writer.
                .setParallelism(1);
    }

    /**
     * The assertions go to the streaming job's own input: its Kafka topic (keyed by user, at least
     * once: an assertion read twice changes nothing), or its watched folder, in files that appear
     * complete ({@link JsonLinesSink}: hidden while in progress, which the stream skips).
     */
    private static void addHandoff(StreamExecutionEnvironment env, PlanJob.Layout plan, StreamJobConfig job) {
        DataStream<String> assertions = planLines(env, plan.handoff(), "assertions")
                .flatMap((NumberedLine line, Collector<String> out) -> {
                    String text = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (!text.isBlank()) {
                        out.collect(text);
                    }
                })
                .returns(String.class)
                .name("assertions");
        if (job.assertionsTopic() != null) {
            KafkaSettings kafka = job.config().kafka().orElseThrow();
            String topic = job.assertionsTopic();
            assertions.sinkTo(KafkaSink.<String>builder()
                            .setKafkaProducerConfig(kafka.clientProperties())
                            .setBootstrapServers(kafka.bootstrapServers())
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                            .setRecordSerializer((KafkaRecordSerializationSchema<String>) (line, context, timestamp) ->
                                    new ProducerRecord<>(topic, null, timestamp,
                                            JsonLineParser.textField(line, "user_id").orElse("").getBytes(StandardCharsets.UTF_8),
                                            line.getBytes(StandardCharsets.UTF_8)))
                            .build())
                    .name("hand-off: kafka " + topic);
        } else {
            assertions.sinkTo(JsonLinesSink.to(new Path(job.assertionsFolder()), new SimpleStringEncoder<String>()))
                    .name("hand-off: folder");
        }
    }

    private static DataStream<NumberedLine> planLines(StreamExecutionEnvironment env, Path dir, String name) {
        return env.fromSource(FileSource.forBulkFileFormat(new NumberedLineFormat(), dir).build(),
                WatermarkStrategy.noWatermarks(), "read plan: " + name);
    }
}

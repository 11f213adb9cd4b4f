package dev.audiencemirror.nightly;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.adestra.AdestraSink;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.connector.taxonomy.TaxonomySink;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import dev.audiencemirror.files.JsonLinesSink;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.listop.ListOperation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The nightly run's second job, in batch mode: reads the plan the first job wrote and sends it
 * through the connectors, with their limits and retries. What a destination refuses lands in the
 * run's {@code dead-letters/} folder, which decides what the committed snapshot leaves out.
 */
final class PushJob {
    private PushJob() {}

    static JobExecutionResult run(MirrorConfig config, Configuration flinkConf, PlanJob.Layout plan, Destinations dest,
            Path deadLetters, long version, boolean listOps, boolean segmentOps, JobListener progress) throws Exception {
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

    private static DataStream<NumberedLine> planLines(StreamExecutionEnvironment env, Path dir, String name) {
        return env.fromSource(FileSource.forBulkFileFormat(new NumberedLineFormat(), dir).build(),
                WatermarkStrategy.noWatermarks(), "read plan: " + name);
    }
}

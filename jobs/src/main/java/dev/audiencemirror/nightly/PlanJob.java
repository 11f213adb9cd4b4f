package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.files.TextLinesWriter;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.parse.ParseError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/**
 * The nightly run's first job, in batch mode: reads today's inputs and the last synced snapshot,
 * and writes the plan (what to send) and the new snapshot's baseline (what the destinations hold
 * once the plan is applied), plus rejects and users without a contact ID. Counts come back as
 * accumulators. Nothing is sent from here: a dry run stops after this job.
 */
final class PlanJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where one plan job writes. */
    record Layout(Path listOps, Path segmentOps, Path rejects, Path unmatched, Path baselinePairs, Path baselineSegments) {
        static Layout of(Path runDir, Path baselineDir) {
            Path plan = new Path(runDir, "plan");
            return new Layout(new Path(plan, "list-ops"), new Path(plan, "segment-ops"), new Path(runDir, "rejects"),
                    new Path(runDir, "unmatched-users"), new Path(baselineDir, "pairs"), new Path(baselineDir, "segments"));
        }
    }

    /** The last synced snapshot, as the plan job reads it. */
    record Previous(Path pairs, Path segments, SnapshotStore.Corrections corrections) {}

    private PlanJob() {}

    static JobExecutionResult run(MirrorConfig config, Configuration flinkConf, boolean fullResync, Previous previous,
            Layout out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        // Every record type of this job is immutable (records, Strings), so chained operators may
        // pass records on without the defensive copy Flink makes otherwise. Keep it that way: a
        // mutable record type here would need this off.
        env.getConfig().enableObjectReuse();

        String identities = config.inputs().identities().orElseThrow();
        String memberships = config.inputs().memberships().orElseThrow();
        SingleOutputStreamOperator<UserInput> ids = lines(env, identities, "identities")
                .process(new PlanInputs.Identities(config.aliasTag()))
                .name("parse identities");
        SingleOutputStreamOperator<UserInput> members = lines(env, memberships, "memberships")
                .process(new PlanInputs.Memberships(config.activations()))
                .name("parse memberships");
        DataStream<ParseError> rejects = ids.getSideOutput(ParseAndMap.REJECTS).union(members.getSideOutput(ParseAndMap.REJECTS));

        SingleOutputStreamOperator<PairFlags> target = ids.union(members)
                .keyBy(UserInput::userId)
                .process(new UserListJoin())
                .name("join users to lists");
        target.getSideOutput(UserListJoin.UNMATCHED).sinkTo(textSink(out.unmatched(), ".txt")).name("unmatched users");

        DataStream<PairFlags> pairs = previousPairs(env, previous).map(target::union).orElse(target);
        SingleOutputStreamOperator<String> listOps = pairs
                .keyBy(PairFlags::listKey, TypeInformation.of(ListKey.class))
                .reduce(PairFlags::merge)
                .process(new ListDiff(config.syncMode(), fullResync))
                .name("list diff");
        listOps.sinkTo(textSink(out.listOps(), ".jsonl")).name("plan: list operations");
        listOps.getSideOutput(ListDiff.BASELINE).sinkTo(textSink(out.baselinePairs(), ".csv")).name("baseline pairs");

        if (config.inputs().segments().isPresent()) {
            SingleOutputStreamOperator<SegmentSides> today = lines(env, config.inputs().segments().get(), "segments")
                    .process(new PlanInputs.Segments())
                    .name("parse segments");
            rejects = rejects.union(today.getSideOutput(ParseAndMap.REJECTS));
            DataStream<SegmentSides> sides = previousSegments(env, previous).map(today::union).orElse(today);
            SingleOutputStreamOperator<String> segmentOps = sides
                    .keyBy(SegmentSides::code)
                    .reduce(SegmentSides::merge)
                    .process(new SegmentDiff(config.taxonomy().syncMode(), fullResync))
                    .name("segment diff");
            segmentOps.sinkTo(textSink(out.segmentOps(), ".jsonl")).name("plan: segment operations");
            segmentOps.getSideOutput(SegmentDiff.BASELINE).sinkTo(textSink(out.baselineSegments(), ".jsonl"))
                    .name("baseline segments");
        }

        rejects.map(PlanJob::rejectLine).returns(Types.STRING).sinkTo(textSink(out.rejects(), ".jsonl")).name("rejects");
        return env.execute("audience-mirror nightly: plan");
    }

    private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, String location, String name) {
        FileSource<NumberedLine> source = FileSource.forBulkFileFormat(new NumberedLineFormat(), new Path(location)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "read " + name);
    }

    /** The pairs the last run left on the lists, with its corrections applied; empty before the first run. */
    private static Optional<DataStream<PairFlags>> previousPairs(StreamExecutionEnvironment env, Previous previous) {
        if (previous == null) {
            return Optional.empty();
        }
        TypeInformation<PairFlags> type = TypeInformation.of(PairFlags.class);
        List<PairFlags> present = new ArrayList<>();
        previous.corrections().presentPairs.forEach(k -> present.add(pair(k)));
        Set<String> absent = new HashSet<>(previous.corrections().absentPairs);
        Optional<DataStream<PairFlags>> corrections = present.isEmpty()
                ? Optional.empty()
                : Optional.of(env.fromData(present, type).name("previous snapshot corrections"));
        if (previous.pairs() == null) {
            return corrections;
        }
        DataStream<PairFlags> fromFiles = lines(env, previous.pairs().toString(), "previous snapshot pairs")
                .flatMap((NumberedLine line, org.apache.flink.util.Collector<PairFlags> c) -> {
                    String key = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (!key.isBlank() && !absent.contains(key)) {
                        c.collect(pair(key));
                    }
                })
                .returns(type)
                .name("previous snapshot pairs");
        return Optional.of(corrections.map(fromFiles::union).orElse(fromFiles));
    }

    /** The segments the last run left in the import, with its corrections applied; empty before the first run. */
    private static Optional<DataStream<SegmentSides>> previousSegments(StreamExecutionEnvironment env, Previous previous) {
        if (previous == null) {
            return Optional.empty();
        }
        TypeInformation<SegmentSides> type = TypeInformation.of(SegmentSides.class);
        List<SegmentSides> overridden = new ArrayList<>();
        Map<String, String> overrides = new HashMap<>(previous.corrections().segments);
        overrides.forEach((code, def) -> {
            if (def != null) {
                overridden.add(new SegmentSides(code, null, def));
            }
        });
        Optional<DataStream<SegmentSides>> corrections = overridden.isEmpty()
                ? Optional.empty()
                : Optional.of(env.fromData(overridden, type).name("previous segment corrections"));
        if (previous.segments() == null) {
            return corrections;
        }
        DataStream<SegmentSides> fromFiles = lines(env, previous.segments().toString(), "previous snapshot segments")
                .flatMap((NumberedLine line, org.apache.flink.util.Collector<SegmentSides> c) -> {
                    String text = new String(line.bytes(), StandardCharsets.UTF_8);
                    if (!text.isBlank()) {
                        String[] parts = SegmentJson.parseBaselineLine(text);
                        if (!overrides.containsKey(parts[0])) {
                            c.collect(new SegmentSides(parts[0], null, parts[1]));
                        }
                    }
                })
                .returns(type)
                .name("previous snapshot segments");
        return Optional.of(corrections.map(fromFiles::union).orElse(fromFiles));
    }

    static PairFlags pair(String key) {
        int comma = key.lastIndexOf(',');
        return new PairFlags(key.substring(0, comma), Long.parseLong(key.substring(comma + 1).strip()), PairFlags.SYNCED);
    }

    private static String rejectLine(ParseError e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source", e.source());
        n.put("line", e.position());
        n.put("field", e.field());
        n.put("reason", e.reason());
        n.put("raw", e.raw());
        return n.toString();
    }

    /** Text lines into part files under {@code dir}; buffered (see {@link TextLinesWriter}). */
    static FileSink<String> textSink(Path dir, String suffix) {
        return FileSink.forBulkFormat(dir, TextLinesWriter.factory())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(suffix).build())
                .build();
    }
}

package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLineFormat;
import dev.audiencemirror.files.TextLinesWriter;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.membership.CsvColumns;
import dev.audiencemirror.parse.ParseError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import org.apache.flink.util.Collector;

/**
 * The nightly run's first job, in batch mode: reads today's inputs, the last synced snapshot and
 * the keys of unknown state, and writes the plan (what to send) and the new snapshot's baseline
 * (what the destinations hold once the plan is applied), plus rejects, held users and users
 * without a contact ID. Counts come back as accumulators. Nothing is sent from here: a dry run
 * stops after this job.
 */
final class PlanJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where one plan job writes. */
    record Layout(Path listOps, Path segmentOps, Path rejects, Path unmatched, Path held, Path baselinePairs,
            Path baselineSegments, Path baselineUsers, Path baselineUncertain) {
        static Layout of(Path runDir, Path baselineDir) {
            Path plan = new Path(runDir, "plan");
            return new Layout(new Path(plan, "list-ops"), new Path(plan, "segment-ops"), new Path(runDir, "rejects"),
                    new Path(runDir, "unmatched-users"), new Path(runDir, "held-users"), new Path(baselineDir, "pairs"),
                    new Path(baselineDir, "segments"), new Path(baselineDir, "users"), new Path(baselineDir, "uncertain"));
        }
    }

    /**
     * What the last runs left: the committed snapshot's parts (null when absent) and the files
     * naming keys of unknown state (unfinished pushes, the snapshot's uncertain part).
     */
    record Previous(Path pairs, Path segments, Path users, List<Path> uncertain) {
        static final Previous NONE = new Previous(null, null, null, List.of());
    }

    private PlanJob() {}

    static JobExecutionResult run(MirrorConfig config, Configuration flinkConf, boolean fullResync, Previous previous,
            Map<String, CsvColumns> membershipLayouts, Layout out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        // Every record type of this job is immutable (records, Strings), so chained operators may
        // pass records on without the defensive copy Flink makes otherwise. Keep it that way: a
        // mutable record type here would need this off.
        env.getConfig().enableObjectReuse();

        SingleOutputStreamOperator<UserInput> ids = lines(env, "identities", new Path(config.inputs().identities().orElseThrow()))
                .process(new PlanInputs.Identities(config.aliasTag()))
                .name("parse identities");
        SingleOutputStreamOperator<UserInput> members = lines(env, "memberships", new Path(config.inputs().memberships().orElseThrow()))
                .process(new PlanInputs.Memberships(config.activations(), membershipLayouts))
                .name("parse memberships");
        DataStream<ParseError> rejects = ids.getSideOutput(ParseAndMap.REJECTS).union(members.getSideOutput(ParseAndMap.REJECTS));

        DataStream<UserInput> users = ids.union(members);
        if (previous.users() != null) {
            users = users.union(lines(env, "previous snapshot users", previous.users())
                    .flatMap(PlanJob::previousUser)
                    .returns(TypeInformation.of(UserInput.class))
                    .name("previous snapshot users"));
        }
        SingleOutputStreamOperator<PairFlags> target = users
                .keyBy(UserInput::userId)
                .process(new UserListJoin())
                .name("join users to lists");
        target.getSideOutput(UserListJoin.UNMATCHED).sinkTo(textSink(out.unmatched(), ".txt")).name("unmatched users");
        target.getSideOutput(UserListJoin.HELD).sinkTo(textSink(out.held(), ".tsv")).name("held users");
        target.getSideOutput(UserListJoin.USERS).sinkTo(textSink(out.baselineUsers(), ".jsonl")).name("baseline users");

        DataStream<PairFlags> pairs = target;
        if (previous.pairs() != null) {
            pairs = pairs.union(lines(env, "previous snapshot pairs", previous.pairs())
                    .flatMap((NumberedLine line, Collector<PairFlags> c) -> {
                        String key = new String(line.bytes(), StandardCharsets.UTF_8);
                        if (!key.isBlank()) {
                            c.collect(PairFlags.ofKey(key, PairFlags.SYNCED));
                        }
                    })
                    .returns(TypeInformation.of(PairFlags.class))
                    .name("previous snapshot pairs"));
        }
        SingleOutputStreamOperator<PairFlags> uncertain = null;
        if (!previous.uncertain().isEmpty()) {
            uncertain = lines(env, "uncertain keys", previous.uncertain().toArray(Path[]::new))
                    .process(new UncertainKeys())
                    .name("uncertain keys");
            pairs = pairs.union(uncertain);
        }
        SingleOutputStreamOperator<String> listOps = pairs
                .keyBy(PairFlags::listKey, TypeInformation.of(ListKey.class))
                .reduce(PairFlags::merge)
                .process(new ListDiff(config.syncMode(), fullResync))
                .name("list diff");
        listOps.sinkTo(textSink(out.listOps(), ".jsonl")).name("plan: list operations");
        listOps.getSideOutput(ListDiff.BASELINE).sinkTo(textSink(out.baselinePairs(), ".csv")).name("baseline pairs");
        DataStream<String> unresolved = listOps.getSideOutput(ListDiff.UNRESOLVED);

        if (config.inputs().segments().isPresent()) {
            SingleOutputStreamOperator<SegmentInput> today = lines(env, "segments", new Path(config.inputs().segments().get()))
                    .process(new PlanInputs.Segments())
                    .name("parse segments");
            rejects = rejects.union(today.getSideOutput(ParseAndMap.REJECTS));
            DataStream<SegmentInput> sides = today;
            if (previous.segments() != null) {
                sides = sides.union(lines(env, "previous snapshot segments", previous.segments())
                        .flatMap((NumberedLine line, Collector<SegmentInput> c) -> {
                            String text = new String(line.bytes(), StandardCharsets.UTF_8);
                            if (!text.isBlank()) {
                                String[] parts = SegmentJson.parseBaselineLine(text);
                                c.collect(SegmentInput.synced(parts[0], parts[1]));
                            }
                        })
                        .returns(TypeInformation.of(SegmentInput.class))
                        .name("previous snapshot segments"));
            }
            if (uncertain != null) {
                sides = sides.union(uncertain.getSideOutput(UncertainKeys.SEGMENTS));
            }
            SingleOutputStreamOperator<String> segmentOps = sides
                    .keyBy(SegmentInput::code)
                    .process(new SegmentDiff(config.taxonomy().syncMode(), fullResync))
                    .name("segment diff");
            segmentOps.sinkTo(textSink(out.segmentOps(), ".jsonl")).name("plan: segment operations");
            segmentOps.getSideOutput(SegmentDiff.BASELINE).sinkTo(textSink(out.baselineSegments(), ".jsonl"))
                    .name("baseline segments");
            rejects = rejects.union(segmentOps.getSideOutput(SegmentDiff.REJECTS));
            unresolved = unresolved.union(segmentOps.getSideOutput(SegmentDiff.UNRESOLVED));
        }
        unresolved.sinkTo(textSink(out.baselineUncertain(), ".jsonl")).name("baseline uncertain");

        rejects.map(PlanJob::rejectLine).returns(Types.STRING).sinkTo(textSink(out.rejects(), ".jsonl")).name("rejects");
        return env.execute("audience-mirror nightly: plan");
    }

    private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, String name, Path... locations) {
        FileSource<NumberedLine> source = FileSource.forBulkFileFormat(new NumberedLineFormat(), locations).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "read " + name);
    }

    private static void previousUser(NumberedLine line, Collector<UserInput> out) {
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            SnapshotUser u = SnapshotUser.decode(text);
            for (Long list : u.lists()) {
                out.collect(UserInput.previous(u.userId(), u.contactId(), list));
            }
        }
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

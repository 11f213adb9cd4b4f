package dev.audiencemirror.nightly;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.files.NumberedLinesSource;
import dev.audiencemirror.files.TaggedLine;
import dev.audiencemirror.files.TaggedLinesSink;
import dev.audiencemirror.membership.CsvColumns;
import dev.audiencemirror.serialization.UserKeySerializer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The nightly run's first job, in batch mode: reads today's inputs, the last synced snapshot and
 * the keys of unknown state, and writes the plan (what to send) and the new snapshot's baseline
 * (what the destinations hold once the plan is applied), plus rejects, held users and users
 * without a contact ID. Counts come back as accumulators. Nothing is sent from here: a dry run
 * stops after this job.
 */
final class PlanJob {
    /** Where one plan job writes: the run's folder and the new snapshot's (folders inside: {@link PlanOutputs}). */
    record Layout(Path runDir, Path baselineDir) {
        Path listOps() {
            return new Path(runDir, PlanOutputs.LIST_OPS);
        }

        Path segmentOps() {
            return new Path(runDir, PlanOutputs.SEGMENT_OPS);
        }

        Path handoff() {
            return new Path(runDir, PlanOutputs.HANDOFF);
        }
    }

    /**
     * What the last runs left: the committed snapshot's parts (null when absent) and the files
     * naming keys of unknown state (unfinished pushes, the snapshot's uncertain part).
     */
    record Previous(Path pairs, Path segments, Path users, Path handedOff, List<Path> uncertain) {
        static final Previous NONE = new Previous(null, null, null, null, List.of());
    }

    private PlanJob() {}

    /** @param handoff what to hand the streaming job, or null when it writes none of this run's lists */
    static JobExecutionResult run(MirrorConfig config, Configuration flinkConf, boolean fullResync, Previous previous,
            Map<String, CsvColumns> membershipLayouts, Handoff handoff, Layout out, JobListener progress) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.registerJobListener(progress);
        // Every record type of this job is immutable (records, Strings), so chained operators may
        // pass records on without the defensive copy Flink makes otherwise. Keep it that way: a
        // mutable record type here would need this off.
        env.getConfig().enableObjectReuse();
        MemorySize splitSize = flinkConf.get(NumberedLinesSource.SPLIT_SIZE);

        FileSink<TaggedLine> report = TaggedLinesSink.to(out.runDir());
        FileSink<TaggedLine> baseline = TaggedLinesSink.to(out.baselineDir());

        SingleOutputStreamOperator<UserInput> ids = lines(env, splitSize, "identities", new Path(config.inputs().identities().orElseThrow()))
                .process(new PlanInputs.Identities(config.aliasTag()))
                .name("parse identities");
        SingleOutputStreamOperator<UserInput> members = lines(env, splitSize, "memberships", new Path(config.inputs().memberships().orElseThrow()))
                .process(new PlanInputs.Memberships(config.activations(),
                        handoff == null ? Set.of() : handoff.cohorts(), membershipLayouts))
                .name("parse memberships");
        sinkRejects(ids, report, "identities");
        sinkRejects(members, report, "memberships");

        DataStream<UserInput> users = ids.union(merged(members, UserInput.class, "memberships", UserInput::mergeMemberships));
        if (previous.users() != null) {
            users = users.union(lines(env, splitSize, "previous snapshot users", previous.users())
                    .flatMap(PlanJob::previousUser)
                    .returns(TypeInformation.of(UserInput.class))
                    .name("previous snapshot users"));
        }
        if (handoff != null && previous.handedOff() != null) {
            users = users.union(lines(env, splitSize, "previous hand-off", previous.handedOff())
                    .flatMap((NumberedLine line, Collector<UserInput> c) ->
                            handoff.previous(new String(line.bytes(), StandardCharsets.UTF_8), c::collect))
                    .returns(TypeInformation.of(UserInput.class))
                    .name("previous hand-off"));
        }
        SingleOutputStreamOperator<ContactFlags> target = users
                .keyBy(UserInput::userId, UserKeySerializer.TYPE)
                .process(new UserListJoin(handoff))
                .name("join users to lists");
        target.getSideOutput(PlanOutputs.REPORT).sinkTo(report).name("unmatched and held users");
        target.getSideOutput(PlanOutputs.BASELINE).sinkTo(baseline).name("baseline users");

        DataStream<ContactFlags> pairs = target;
        if (previous.pairs() != null) {
            pairs = pairs.union(merged(lines(env, splitSize, "previous snapshot pairs", previous.pairs())
                    .flatMap((NumberedLine line, Collector<ContactFlags> c) -> {
                        String key = new String(line.bytes(), StandardCharsets.UTF_8);
                        if (!key.isBlank()) {
                            c.collect(ContactFlags.ofKey(key, ContactFlags.SYNCED));
                        }
                    })
                    .returns(TypeInformation.of(ContactFlags.class))
                    .name("previous snapshot pairs"), ContactFlags.class, "previous snapshot pairs", ContactFlags::mergeIfSameContact));
        }
        SingleOutputStreamOperator<ContactFlags> uncertain = null;
        if (!previous.uncertain().isEmpty()) {
            uncertain = lines(env, splitSize, "uncertain keys", previous.uncertain().toArray(Path[]::new))
                    .process(new UncertainKeys())
                    .name("uncertain keys");
            pairs = pairs.union(uncertain);
        }
        if (handoff != null) {
            // The streaming job writes these lists now: what earlier runs pushed to them is not ours to diff.
            HashSet<Long> streamLists = new HashSet<>(ListOwnership.of(config).handedOffLists());
            pairs = pairs.flatMap((ContactFlags p, Collector<ContactFlags> c) -> {
                ContactFlags kept = p.without(streamLists);
                if (kept != null) {
                    c.collect(kept);
                }
            }).returns(TypeInformation.of(ContactFlags.class)).name("lists this run pushes");
        }
        SingleOutputStreamOperator<TaggedLine> listOps = pairs
                .keyBy(ContactFlags::contactId)
                .reduce(ContactFlags::merge)
                .process(new ListDiff(config.syncMode(), fullResync))
                .name("list diff");
        listOps.sinkTo(report).name("plan: list operations");
        listOps.getSideOutput(PlanOutputs.BASELINE).sinkTo(baseline).name("baseline pairs");

        if (config.inputs().segments().isPresent()) {
            SingleOutputStreamOperator<SegmentInput> today = lines(env, splitSize, "segments", new Path(config.inputs().segments().get()))
                    .process(new PlanInputs.Segments())
                    .name("parse segments");
            sinkRejects(today, report, "segments");
            DataStream<SegmentInput> sides = today;
            if (previous.segments() != null) {
                sides = sides.union(lines(env, splitSize, "previous snapshot segments", previous.segments())
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
            SingleOutputStreamOperator<TaggedLine> segmentOps = sides
                    .keyBy(SegmentInput::code)
                    .process(new SegmentDiff(config.taxonomy().syncMode(), fullResync))
                    .name("segment diff");
            segmentOps.sinkTo(report).name("plan: segment operations");
            segmentOps.getSideOutput(PlanOutputs.BASELINE).sinkTo(baseline).name("baseline segments");
        }
        return env.execute("audience-mirror nightly: plan");
    }

    /** The lines of {@code locations}; a large file is cut into ranges read in parallel, its lines numbered as in the whole file. */
    private static DataStream<NumberedLine> lines(StreamExecutionEnvironment env, MemorySize splitSize, String name, Path... locations) {
        return env.fromSource(NumberedLinesSource.of(splitSize, locations), WatermarkStrategy.noWatermarks(), "read " + name);
    }

    /** {@code records} with consecutive ones that go together merged ({@link ConsecutiveMerge}). */
    private static <T> SingleOutputStreamOperator<T> merged(DataStream<T> records, Class<T> type, String name,
            ConsecutiveMerge.Rule<T> rule) {
        return records.transform("merge " + name, TypeInformation.of(type), new ConsecutiveMerge<>(rule));
    }

    private static void previousUser(NumberedLine line, Collector<UserInput> out) {
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            SnapshotUser u = SnapshotUser.decode(text);
            out.collect(UserInput.previous(u.userId(), u.contactId(), u.lists()));
        }
    }

    private static void sinkRejects(SingleOutputStreamOperator<?> parsed, FileSink<TaggedLine> report, String input) {
        parsed.getSideOutput(ParseAndMap.REJECTS)
                .map(PlanOutputs::reject)
                .returns(TypeInformation.of(TaggedLine.class))
                .name("rejects: " + input)
                .sinkTo(report)
                .name("rejected " + input);
    }
}

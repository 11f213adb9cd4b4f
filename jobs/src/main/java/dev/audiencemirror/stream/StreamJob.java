package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.progress.JobProgress;
import dev.audiencemirror.tmp.RunTempDir;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming activation job: wires sources, operators and sinks, nothing else.
 *
 * <pre>
 * identities ─ parse ─┐
 *                     ├─ keyBy(user) ─ UserMembership ─ keyBy(contact, list) ─ NetListDiff ─ sync mode ─► Adestra
 * events ───── parse ─┤                                                                  (dead letters ◄─┘)
 * assertions ─ parse ─┘ (a nightly run's export, as entries/exits at its as-of time, and identities)
 * segments ─── parse ─── keyBy(code) ─ SegmentChanges ──────────────────────────────────────────► Taxonomy
 *                                                                                        (dead letters ◄─┘)
 * every parse ─► rejects (field, reason, raw record)
 * </pre>
 *
 * The segment branch exists when the connections have a segment input (Kafka mode with
 * {@code kafka.topics.segments}).
 *
 * Every stateful operator has a stable {@code uid}: they name the state in savepoints, so they
 * never change (nor do the state names inside the functions).
 */
public final class StreamJob {
    private StreamJob() {}

    public static final String NAME = "audience-mirror stream";

    /**
     * Flink settings for the job: RocksDB with incremental checkpoints every second, retained when
     * the job is cancelled, and no Kryo (every type has its own serializer); locally, heartbeats that
     * keep the status line current; anything under {@code flink:} in the config wins.
     */
    public static Configuration flinkConfiguration(MirrorConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("state.backend.type", "rocksdb");
        settings.put("execution.checkpointing.incremental", "true");
        settings.put("execution.checkpointing.interval", "1 s");
        settings.put("pipeline.generic-types", "false");
        // A cancelled job keeps its last checkpoint, for `bin/mirror stream --resume` (or a restore by hand).
        settings.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // Every event reads its user's and its (contact, list)'s state: bloom filters spare RocksDB
        // the probes into the many small files that 1 s incremental checkpoints leave, and the
        // diff's window timers (few and short-lived) cost less on the heap (StreamThroughputBenchmarkTest:
        // 9–28% less CPU for the same output, the more the busier the machine).
        settings.put("state.backend.rocksdb.use-bloom-filter", "true");
        settings.put("state.backend.rocksdb.timer-service.factory", "HEAP");
        // The keyed stage is point reads of recently written keys, which live in the first two
        // levels: uncompressed there, a read skips decompressing its block (Flink's default is
        // Snappy everywhere); deeper levels, where a large state mostly sits, stay compressed.
        settings.put("state.backend.rocksdb.compression.per.level", "NO_COMPRESSION;NO_COMPRESSION;LZ4_COMPRESSION");
        settings.putAll(config.flink());
        JobProgress.localDefaults(settings);
        RunTempDir.applyTo(settings);
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
            settings.computeIfPresent(key, (k, dir) -> withScheme(dir));
        }
        return Configuration.fromMap(settings);
    }

    /**
     * Flink refuses a checkpoint directory without a scheme; the config's other paths are relative
     * to where {@code bin/mirror} runs, so a bare path here is taken the same way.
     */
    static String withScheme(String dir) {
        if (URI.create(dir.replace(" ", "%20")).getScheme() != null) {
            return dir;
        }
        return java.nio.file.Path.of(dir).toAbsolutePath().normalize().toUri().toString();
    }

    /** Adds the job to {@code env}; the caller executes it. */
    public static void define(StreamExecutionEnvironment env, MirrorConfig config, StreamConnections io,
            Destinations destinations) {
        KeyedStage stage = keyedStage(config, io.identities(env), io.events(env), io.assertions(env));
        DataStream<ParseError> rejects = stage.rejects();
        stage.operations()
                // Transient failures are waited out, however long: the stream has no next run.
                .sinkTo(destinations.adestraSink(config, io.deadLetters("adestra"), config.adestra().retriesUntilSuccess()))
                .name("adestra").uid("adestra-sink")
                .setParallelism(Destinations.adestraParallelism(config, env.getParallelism()));

        var segmentRecords = io.segments(env);
        if (segmentRecords.isPresent()) {
            SingleOutputStreamOperator<TaxonomyOperation> segments = segmentRecords.get()
                    .process(new ParseSegments())
                    .name("parse segments").uid("parse-segments");
            rejects = rejects.union(segments.getSideOutput(ParseRecords.REJECTS));
            segments.keyBy(TaxonomyOperation::code)
                    .process(new SegmentChanges(config.taxonomy().syncMode()))
                    .name("segment changes").uid("segment-changes")
                    .sinkTo(destinations.taxonomySink(config, io.deadLetters("taxonomy"),
                            config.taxonomy().retriesUntilSuccess()))
                    .name("taxonomy").uid("taxonomy-sink")
                    // Batches for one import go out one at a time: one writer.
                    .setParallelism(1);
        }
        rejects.sinkTo(io.rejects()).name("rejects").uid("rejects-sink");
    }

    /** What the keyed stage gives the sinks: list operations to send, and rejected input records. */
    record KeyedStage(DataStream<ListOperation> operations, DataStream<ParseError> rejects) {}

    /**
     * Parse, identity join and membership per user, net diff per (contact, list), sync mode: the
     * part of the job between the raw input lines and the Adestra sink (also what the throughput
     * benchmark runs, so it measures exactly this).
     */
    static KeyedStage keyedStage(MirrorConfig config, DataStream<NumberedLine> identityLines,
            DataStream<NumberedLine> eventLines) {
        return keyedStage(config, identityLines, eventLines, Optional.empty());
    }

    /** As above, with the membership assertions of a nightly run, when the job has that input. */
    static KeyedStage keyedStage(MirrorConfig config, DataStream<NumberedLine> identityLines,
            DataStream<NumberedLine> eventLines, Optional<DataStream<NumberedLine>> assertionLines) {
        Activations activations = new Activations(config.activations());
        String aliasTag = config.aliasTag();

        SingleOutputStreamOperator<PositionedIdentity> identities = identityLines
                .process(new ParseIdentities(aliasTag))
                .name("parse identities").uid("parse-identities");
        SingleOutputStreamOperator<MembershipEvent> events = eventLines
                .process(new ParseEvents(aliasTag, activations))
                .name("parse events").uid("parse-events");

        DataStream<PositionedIdentity> allIdentities = identities;
        DataStream<MembershipEvent> allEvents = events;
        DataStream<ParseError> rejects = identities.getSideOutput(ParseRecords.REJECTS)
                .union(events.getSideOutput(ParseRecords.REJECTS));
        if (assertionLines.isPresent()) {
            // What a nightly export states, as of its as-of time: events and identities like the rest.
            SingleOutputStreamOperator<MembershipEvent> asserted = assertionLines.get()
                    .process(new ParseAssertions(aliasTag, activations))
                    .name("parse assertions").uid("parse-assertions");
            allIdentities = allIdentities.union(asserted.getSideOutput(ParseAssertions.IDENTITIES));
            allEvents = allEvents.union(asserted);
            rejects = rejects.union(asserted.getSideOutput(ParseRecords.REJECTS));
        }

        DataStream<ListChange> requests = allIdentities.keyBy(UserKeys::of)
                .connect(allEvents.keyBy(UserKeys::of))
                .transform("user membership", TypeInformation.of(ListChange.class), new UserMembershipOperator(
                        new UserMembership(activations.asMap(), aliasTag, config.stream().userTtl())))
                .uid("user-membership");

        boolean adds = config.syncMode().adds();
        boolean removes = config.syncMode().removes();
        DataStream<ListOperation> operations = requests.keyBy(ListChange::key)
                .transform("net diff per (contact, list)", TypeInformation.of(ListOperation.class),
                        new NetListDiffOperator(new NetListDiff(config.stream().window(), config.stream().userTtl())))
                .uid("net-list-diff")
                // The sync mode decides which actions reach Adestra (add: adds only, remove: removes only).
                .filter(op -> op.action() == ListAction.ADD ? adds : removes)
                .name("sync mode").uid("sync-mode");
        return new KeyedStage(operations, rejects);
    }
}

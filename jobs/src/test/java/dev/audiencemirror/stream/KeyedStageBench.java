package dev.audiencemirror.stream;

import dev.audiencemirror.destinations.Destinations;

import dev.audiencemirror.config.ConfigLoader;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the streaming benchmarks share: a deterministic generator of raw identity and event lines
 * (as the job's sources emit them, {@link NumberedLine}s of JSON), the keyed stage wired as
 * {@link StreamJob#define} wires it (same operators, uids and keys; a counting sink instead of
 * Adestra), a parse-only variant, and the expected final lists computed from the generator alone.
 *
 * <p><b>Data.</b> {@code users} users with a UUID-like user ID; each has one identity record (an
 * {@code adestra} alias = Contact ID {@code 20000000 + u} and an {@code email_sha256} alias), except
 * every 100th user, who has only the email alias (held: no contact). Events: event {@code j} is for
 * user {@code j % users} in round {@code r = j / users} (event time {@code T0 + r} seconds, so
 * strictly increasing per user), a SegmentEntry or SegmentExit of one of 5 activated cohorts
 * (1001–1005 → lists 678–682), both picked by a hash of (user, round). Lines are rendered from
 * pre-built byte templates, so generating costs little next to parsing.
 */
final class KeyedStageBench {
    private KeyedStageBench() {}

    static final int COHORTS = 5;
    static final long FIRST_LIST = 678;
    static final long FIRST_CONTACT = 20_000_000L;
    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    static final String IDENTITY_TIME = "2026-11-26T23:00:00Z";

    static Map<String, Long> activations() {
        return IntStream.range(0, COHORTS).boxed()
                .collect(Collectors.toMap(c -> cohort(c), c -> FIRST_LIST + c));
    }

    static String cohort(int c) {
        return Integer.toString(1001 + c);
    }

    static boolean hasContact(long u) {
        return u % 100 != 99;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Cohort index of event {@code (u, round)}. */
    static int cohortOf(long u, long round) {
        return (int) Long.remainderUnsigned(mix(u * 1_000_003L + round), COHORTS);
    }

    /** Entry (true) or exit of event {@code (u, round)}: 60% entries. */
    static boolean entryOf(long u, long round) {
        return Long.remainderUnsigned(mix(u * 7_919L + round + 0x5bd1e995L), 10) < 6;
    }

    /**
     * The lists the destination must end with, from the generator alone: per (user with contact,
     * cohort), the action of the user's last event in that cohort (1 = ADD, 2 = REMOVE, 0 = none),
     * at index {@code u * COHORTS + c}.
     */
    static byte[] expectedFinal(int users, long events) {
        byte[] out = new byte[users * COHORTS];
        for (long j = 0; j < events; j++) {
            long u = j % users;
            if (!hasContact(u)) {
                continue;
            }
            long r = j / users;
            out[(int) (u * COHORTS + cohortOf(u, r))] = (byte) (entryOf(u, r) ? 1 : 2);
        }
        return out;
    }

    // ---- raw records

    /** Renders identity and event lines; serializable, rebuilt lazily where it runs. */
    static final class Lines implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final byte[] ENTRY_HEAD = bytes("{\"name\":\"SegmentEntry\",\"user_id\":\"");
        private static final byte[] EXIT_HEAD = bytes("{\"name\":\"SegmentExit\",\"user_id\":\"");
        private static final byte[] EVENT_MID = bytes("\",\"properties\":{\"segment_id\":\"");
        private static final byte[] EVENT_TIME = bytes("\"},\"time\":\"");
        private static final byte[] TAIL = bytes("\"}");
        private static final byte[] ID_HEAD = bytes("{\"user_id\":\"");
        private static final byte[] ID_CONTACT = bytes("\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"");
        private static final byte[] ID_EMAIL = bytes("\",\"priority\":1},{\"tag\":\"email_sha256\",\"id\":\"");
        private static final byte[] ID_EMAIL_ONLY = bytes("\",\"aliases\":[{\"tag\":\"email_sha256\",\"id\":\"");
        private static final byte[] ID_TAIL = bytes("\",\"priority\":2}],\"time\":\"" + IDENTITY_TIME + "\"}");
        private static final byte[] HEX = bytes("0123456789abcdef");

        final int users;
        /** State-size mode: event (u, round) enters cohort {@code round % COHORTS}. */
        final boolean everyCohort;
        /** Event times by round, rendered once per round (86,400 rounds = one day of seconds). */
        private transient byte[][] times;

        Lines(int users) {
            this(users, false);
        }

        Lines(int users, boolean everyCohort) {
            this.users = users;
            this.everyCohort = everyCohort;
        }

        byte[] identity(long u) {
            byte[] contact = bytes(Long.toString(FIRST_CONTACT + u));
            boolean c = hasContact(u);
            int n = ID_HEAD.length + 36 + (c ? ID_CONTACT.length + contact.length + ID_EMAIL.length : ID_EMAIL_ONLY.length)
                    + 16 + ID_TAIL.length;
            byte[] out = new byte[n];
            int p = put(out, 0, ID_HEAD);
            p = userId(out, p, u);
            if (c) {
                p = put(out, p, ID_CONTACT);
                p = put(out, p, contact);
                p = put(out, p, ID_EMAIL);
            } else {
                p = put(out, p, ID_EMAIL_ONLY);
            }
            p = hex(out, p, mix(~u), 16);
            put(out, p, ID_TAIL);
            return out;
        }

        byte[] event(long j) {
            long u = j % users;
            long r = j / users;
            boolean entry = everyCohort || entryOf(u, r);
            byte[] head = entry ? ENTRY_HEAD : EXIT_HEAD;
            byte[] time = time(r);
            int n = head.length + 36 + EVENT_MID.length + 4 + EVENT_TIME.length + time.length + TAIL.length;
            byte[] out = new byte[n];
            int p = put(out, 0, head);
            p = userId(out, p, u);
            p = put(out, p, EVENT_MID);
            int c = 1001 + (everyCohort ? (int) (r % COHORTS) : cohortOf(u, r));
            out[p++] = (byte) ('0' + c / 1000);
            out[p++] = (byte) ('0' + c / 100 % 10);
            out[p++] = (byte) ('0' + c / 10 % 10);
            out[p++] = (byte) ('0' + c % 10);
            p = put(out, p, EVENT_TIME);
            p = put(out, p, time);
            put(out, p, TAIL);
            return out;
        }

        private byte[] time(long r) {
            if (times == null) {
                times = new byte[86_400][];
            }
            byte[] t = times[(int) r];
            if (t == null) {
                t = times[(int) r] = bytes(T0.plusSeconds(r).toString());
            }
            return t;
        }

        /** A UUID-shaped ID (8-4-4-4-12 hex) from a hash of {@code u}: distinct per user. */
        private static int userId(byte[] out, int p, long u) {
            long hi = mix(u + 0x9e3779b97f4a7c15L);
            p = hex(out, p, hi >>> 32, 8);
            out[p++] = '-';
            p = hex(out, p, hi >>> 16, 4);
            out[p++] = '-';
            p = hex(out, p, hi, 4);
            out[p++] = '-';
            p = hex(out, p, 0x8000 | (u >>> 48), 4);
            out[p++] = '-';
            return hex(out, p, u, 12); // the low bits are u itself: unique
        }

        private static int hex(byte[] out, int p, long v, int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                out[p + i] = HEX[(int) (v & 0xf)];
                v >>>= 4;
            }
            return p + digits;
        }

        private static int put(byte[] out, int p, byte[] b) {
            System.arraycopy(b, 0, out, p, b.length);
            return p + b.length;
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Generates line {@code i} of one input; notes when the first record of a run was made. */
    private static final class LineGenerator implements GeneratorFunction<Long, NumberedLine> {
        private static final long serialVersionUID = 1L;
        private final String run;
        private final String source;
        private final Lines lines;
        private final boolean identities;
        private transient Stats stats;

        LineGenerator(String run, String source, Lines lines, boolean identities) {
            this.run = run;
            this.source = source;
            this.lines = lines;
            this.identities = identities;
        }

        @Override
        public NumberedLine map(Long i) {
            if (stats == null) {
                stats = stats(run);
                stats.started(System.nanoTime());
            }
            byte[] b = identities ? lines.identity(i) : lines.event(i);
            return new NumberedLine(source, i + 1, b);
        }
    }

    static DataStream<NumberedLine> source(StreamExecutionEnvironment env, String run, String name, Lines lines,
            long count, boolean identities) {
        var source = new DataGeneratorSource<>(new LineGenerator(run, name, lines, identities), count,
                RateLimiterStrategy.noOp(), TypeInformation.of(NumberedLine.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), name).uid(name + "-lines");
    }

    // ---- the pipelines

    /** Parse only: the two parse steps of the job, into counting sinks (rejects counted too). */
    static void parseOnly(StreamExecutionEnvironment env, MirrorConfig config, String run,
            DataStream<NumberedLine> idLines, DataStream<NumberedLine> eventLines) {
        Activations activations = new Activations(config.activations());
        SingleOutputStreamOperator<PositionedIdentity> identities = idLines
                .process(new ParseIdentities(config.aliasTag()))
                .name("parse identities").uid("parse-identities");
        SingleOutputStreamOperator<MembershipEvent> events = eventLines
                .process(new ParseEvents(config.aliasTag(), activations))
                .name("parse events").uid("parse-events");
        identities.getSideOutput(ParseRecords.REJECTS)
                .union(events.getSideOutput(ParseRecords.REJECTS))
                .sinkTo(new CountingSink<>(run + "/rejects", null))
                .name("rejects").uid("rejects-sink");
        identities.sinkTo(new CountingSink<>(run, null)).name("discard identities");
        events.sinkTo(new CountingSink<>(run, null)).name("discard events");
    }

    /**
     * The job's own keyed stage ({@link StreamJob#keyedStage}) with a counting sink (same
     * parallelism rule as the Adestra sink) instead of Adestra.
     */
    static void keyedStage(StreamExecutionEnvironment env, MirrorConfig config, String run,
            DataStream<NumberedLine> idLines, DataStream<NumberedLine> eventLines) {
        StreamJob.KeyedStage stage = StreamJob.keyedStage(config, idLines, eventLines);
        stage.rejects().sinkTo(new CountingSink<>(run + "/rejects", null)).name("rejects").uid("rejects-sink");
        stage.operations()
                .sinkTo(new CountingSink<>(run, run))
                .name("operations").uid("adestra-sink")
                .setParallelism(Destinations.adestraParallelism(config, env.getParallelism()));
    }

    // ---- configuration

    static MirrorConfig config(Path dir, int window) {
        String acts = activations().entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .sorted()
                .collect(Collectors.joining(", ", "{", "}"));
        String yaml = """
                activations: %1$s
                adestra:
                  base-url: embedded
                taxonomy:
                  base-url: embedded
                  import-id: bench
                stream:
                  window: %3$dms
                  dead-letter-dir: %2$s/stream
                flink:
                  execution.checkpointing.dir: file://%2$s/checkpoints
                %4$s""".formatted(acts, dir, window, extraFlinkSettings());
        return new ConfigLoader(Map.of()).parse(yaml, "benchmark.yaml");
    }

    /** {@code -Dbench.flink.KEY=VALUE} adds {@code KEY: VALUE} to the {@code flink:} settings. */
    static String extraFlinkSettings() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("bench.flink."))
                .sorted()
                .map(k -> "  " + k.substring("bench.flink.".length()) + ": \"" + System.getProperty(k) + "\"\n")
                .collect(Collectors.joining());
    }

    /** The job's own Flink settings ({@link StreamJob#flinkConfiguration}) with the backend given. */
    static Configuration flink(MirrorConfig config, String backend, int parallelism) {
        Configuration conf = StreamJob.flinkConfiguration(config);
        if (backend != null) {
            conf.setString("state.backend.type", backend);
        }
        conf.setString("parallelism.default", Integer.toString(parallelism));
        return conf;
    }

    // ---- measuring

    /** Per run: when the first record was generated, when the last reached a sink, counts. */
    static final class Stats {
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();
        final AtomicLong records = new AtomicLong();
        final AtomicLong adds = new AtomicLong();
        final AtomicLong removes = new AtomicLong();
        /** Final action per (user, cohort) as the operations left it (index u * COHORTS + c). */
        volatile byte[] finalActions;

        void started(long nanos) {
            first.accumulateAndGet(nanos, Math::min);
        }

        double seconds() {
            return (last.get() - first.get()) / 1e9;
        }
    }

    private static final Map<String, Stats> STATS = new ConcurrentHashMap<>();

    static Stats stats(String run) {
        return STATS.computeIfAbsent(run, r -> new Stats());
    }

    static void track(String run, int users) {
        stats(run).finalActions = new byte[users * COHORTS];
    }

    /**
     * Discards what reaches it after counting it; for list operations (when {@code ops} names the
     * run), also records each (contact, list)'s latest action. A key's operations all pass one
     * subtask in order (keyed diff, forward to the sink), so the last one written is the latest.
     */
    static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String run;
        private final String ops;

        CountingSink(String run, String ops) {
            this.run = run;
            this.ops = ops;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            Stats stats = stats(run);
            byte[] actions = ops == null ? null : stats(ops).finalActions;
            return new SinkWriter<>() {
                long records;
                long adds;
                long removes;
                long last;

                @Override
                public void write(T element, Context ctx) {
                    records++;
                    last = System.nanoTime();
                    if (actions != null) {
                        ListOperation op = (ListOperation) element;
                        int u = (int) (Long.parseLong(op.contactId()) - FIRST_CONTACT);
                        int c = (int) (op.listId() - FIRST_LIST);
                        if (op.action() == ListAction.ADD) {
                            adds++;
                            actions[u * COHORTS + c] = 1;
                        } else {
                            removes++;
                            actions[u * COHORTS + c] = 2;
                        }
                        if ((records & 0x3ff) == 0) {
                            publish();
                        }
                    }
                }

                private void publish() {
                    stats.records.addAndGet(records);
                    stats.adds.addAndGet(adds);
                    stats.removes.addAndGet(removes);
                    records = adds = removes = 0;
                    if (last != 0) {
                        stats.last.accumulateAndGet(last, Math::max);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {
                    publish();
                }

                @Override
                public void close() {
                    publish();
                }
            };
        }
    }

    /** Differences between the expected and the observed final actions, as "n of m; first: ...". */
    static String compare(byte[] expected, byte[] actual) {
        long differ = 0;
        String first = null;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                differ++;
                if (first == null) {
                    first = "user " + i / COHORTS + " cohort " + cohort(i % COHORTS) + ": expected " + expected[i]
                            + ", got " + actual[i];
                }
            }
        }
        return differ == 0 ? "" : differ + " of " + expected.length + " differ; first: " + first;
    }

    static long count(byte[] actions, int value) {
        long n = 0;
        for (byte b : actions) {
            if (b == value) {
                n++;
            }
        }
        return n;
    }

    static long sizeOf(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String show(byte[] b) {
        return Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 10)));
    }
}

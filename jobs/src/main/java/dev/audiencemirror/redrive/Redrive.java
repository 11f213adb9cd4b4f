package dev.audiencemirror.redrive;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.files.JsonLinesSink;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.destinations.Destinations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Sends the streaming job's refused Adestra operations again, through the Adestra sink itself (a
 * bounded Flink job, with the nightly run's bounded retries), as {@link RedrivePlan} decides, then
 * adds to the dead-letter output what happened: a note per operation Adestra applied, and the
 * refusal again for each it refused, so that the next redrive knows.
 */
final class Redrive {

    /** What a redrive did. */
    record Report(int letters, int resent, int refusedAgain, int superseded, int alreadyResent, String store) {
        String table() {
            return String.format("""
                    redrive of %s
                      dead letters read        %d
                      re-sent, applied         %d
                      re-sent, refused again   %d
                      skipped as superseded    %d
                      skipped, already re-sent %d
                    """, store, letters, resent, refusedAgain, superseded, alreadyResent);
        }
    }

    private final MirrorConfig config;
    private final Path sandboxStateFile;
    private final Path workDir;

    Redrive(MirrorConfig config, Path sandboxStateFile, Path workDir) {
        this.config = config;
        this.sandboxStateFile = sandboxStateFile;
        this.workDir = workDir;
    }

    Report run() throws Exception {
        DeadLetterStore store = DeadLetterStore.forConfig(config);
        List<Letter> letters = store.read();
        RedrivePlan plan = RedrivePlan.of(letters);
        if (plan.toSend().isEmpty()) {
            return new Report(plan.letters(), 0, 0, plan.superseded(), plan.alreadyResent(), store.describe());
        }
        Map<String, Letter> refused = send(plan.toSend().stream().map(Letter::operation).toList());
        List<Letter> forKeys = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        long now = System.currentTimeMillis();
        int applied = 0;
        for (Letter sent : plan.toSend()) {
            Letter again = refused.get(sent.key());
            forKeys.add(sent);
            if (again != null) {
                lines.add(again.rawJson());
            } else {
                applied++;
                lines.add(DeadLetter.applied("adestra", sent.key(), sent.operationJson(), 200, "redrive", now).toJson());
            }
        }
        store.append(forKeys, lines);
        return new Report(plan.letters(), applied, refused.size(), plan.superseded(), plan.alreadyResent(),
                store.describe());
    }

    /** Sends {@code ops} through the Adestra sink; returns the refusals, by key. */
    private Map<String, Letter> send(List<ListOperation> ops) throws Exception {
        Path refusals = Files.createDirectories(workDir.resolve("redrive-" + System.currentTimeMillis()));
        try (Destinations destinations = Destinations.open(config, sandboxStateFile)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            env.fromData(ops, TypeInformation.of(ListOperation.class))
                    .name("refused operations")
                    .sinkTo(destinations.adestraSink(config, JsonLinesSink.to(
                            new org.apache.flink.core.fs.Path(refusals.toUri()), new DeadLetterJsonEncoder())))
                    .name("adestra")
                    .uid("adestra-sink")
                    .setParallelism(1);
            env.execute("audience-mirror redrive");
        }
        Map<String, Letter> out = new HashMap<>();
        List<Path> files;
        try (Stream<Path> all = Files.list(refusals)) {
            files = all.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(Comparator.naturalOrder()).toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                Letter.parse(line, f.toString()).filter(l -> !l.isAppliedNote()).ifPresent(l -> out.put(l.key(), l));
            }
        }
        return out;
    }
}

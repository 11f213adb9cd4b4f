package dev.audiencemirror.redrive;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.adestra.AdestraDeadLetters;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.connector.taxonomy.TaxonomyDeadLetters;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.files.JsonLinesSink;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.redrive.Letter.Destination;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.io.PrintStream;
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
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Sends the streaming job's refused operations of one destination again, through that
 * destination's sink itself (a bounded Flink job, with the nightly run's bounded retries), as
 * {@link RedrivePlan} decides, then adds to the dead-letter output what happened: a note per
 * operation the API applied, and the refusal again for each it refused, so that the next redrive
 * knows.
 */
final class Redrive {

    /** What a redrive of one destination did; {@code letters} 0 means none were found. */
    record Report(Destination destination, int letters, int resent, int refusedAgain, int superseded, int alreadyResent,
            String store) {
        String table() {
            if (letters == 0) {
                return "redrive of " + store + ": no " + destination.title + " dead letters yet\n";
            }
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
    private final PrintStream progress;

    Redrive(MirrorConfig config, Path sandboxStateFile, Path workDir, PrintStream progress) {
        this.config = config;
        this.sandboxStateFile = sandboxStateFile;
        this.workDir = workDir;
        this.progress = progress;
    }

    Report run(Destination destination) throws Exception {
        DeadLetterStore store = DeadLetterStore.forConfig(config, destination);
        List<Letter> letters = store.read();
        RedrivePlan plan = RedrivePlan.of(letters);
        if (plan.toSend().isEmpty()) {
            return new Report(destination, plan.letters(), 0, 0, plan.superseded(), plan.alreadyResent(), store.describe());
        }
        progress.printf("redrive: sending %d %s operations again (%d dead letters in %s)...%n", plan.toSend().size(),
                destination.title, plan.letters(), store.describe());
        Map<String, Letter> refused = send(destination, plan.toSend());
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
                lines.add(DeadLetter.applied(destination.id, sent.key(), sent.letter().operation(), 200, "redrive", now).toJson());
            }
        }
        store.append(forKeys, lines);
        return new Report(destination, plan.letters(), applied, refused.size(), plan.superseded(), plan.alreadyResent(),
                store.describe());
    }

    /** Sends the letters' operations through the destination's sink; returns the refusals, by key. */
    private Map<String, Letter> send(Destination destination, List<Letter> letters) throws Exception {
        Path refusals = Files.createDirectories(workDir.resolve("redrive-" + destination.id + "-" + System.currentTimeMillis()));
        Sink<DeadLetter> deadLetters = JsonLinesSink.to(new org.apache.flink.core.fs.Path(refusals.toUri()), new DeadLetterJsonEncoder());
        try (Destinations destinations = Destinations.open(config, sandboxStateFile)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            if (destination == Destination.ADESTRA) {
                List<ListOperation> ops = letters.stream().map(l -> AdestraDeadLetters.operation(l.letter())).toList();
                env.fromData(ops, TypeInformation.of(ListOperation.class)).name("refused operations")
                        .sinkTo(destinations.adestraSink(config, deadLetters)).name("adestra").uid("adestra-sink")
                        .setParallelism(1);
            } else {
                List<TaxonomyOperation> ops = letters.stream().map(l -> TaxonomyDeadLetters.operation(l.letter())).toList();
                env.fromData(ops, TypeInformation.of(TaxonomyOperation.class)).name("refused operations")
                        .sinkTo(destinations.taxonomySink(config, deadLetters)).name("taxonomy").uid("taxonomy-sink")
                        .setParallelism(1);
            }
            env.execute("audience-mirror redrive " + destination.id);
        }
        Map<String, Letter> out = new HashMap<>();
        List<Path> files;
        try (Stream<Path> all = Files.list(refusals)) {
            files = all.filter(p -> !p.getFileName().toString().startsWith(".")).sorted(Comparator.naturalOrder()).toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                Letter.parse(destination, line, f.toString()).filter(l -> !l.isAppliedNote()).ifPresent(l -> out.put(l.key(), l));
            }
        }
        return out;
    }
}

package dev.audiencemirror.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** {@code nightly:}, the nightly run's own settings. */
final class NightlySection {
    static final String KEY = "nightly";

    private NightlySection() {}

    /**
     * @param streamConfigLoader reads the file {@code stream-config} names; empty when that file
     *     is itself a stream config being read for a nightly run, whose own {@code stream-config}
     *     is not followed (a deployment may give both jobs one file)
     */
    static NightlySettings read(Fields root, Optional<Function<Path, MirrorConfig>> streamConfigLoader) {
        Fields f = root.mapping(KEY);
        String stateDir = f.location("state-dir").orElse("run/state");
        Path runsDir = f.location("runs-dir").map(Path::of).orElse(Path.of("run", "runs"));
        double reject = f.ratio("reject-threshold", 0.01);
        double removal = f.ratio("max-removal-ratio", 0.5);
        Optional<StreamJobConfig> streamJob = f.location("stream-config")
                .flatMap(path -> streamConfigLoader.flatMap(loader -> streamJob(f, Path.of(path), loader)));
        return new NightlySettings(stateDir, runsDir, reject, removal, streamJob);
    }

    /** The streaming job's own config, read as that job reads it; it must give the stream an input for the assertions this run hands it. */
    private static Optional<StreamJobConfig> streamJob(Fields f, Path file, Function<Path, MirrorConfig> loader) {
        String key = f.key("stream-config");
        MirrorConfig stream;
        try {
            stream = loader.apply(file);
        } catch (ConfigException e) {
            e.problems().forEach(problem -> f.problem(key + ": " + file + ": " + problem));
            return Optional.empty();
        }
        boolean kafka = stream.kafka().isPresent();
        if (kafka ? stream.kafka().get().assertionsTopic() == null : stream.inputs().assertions().isEmpty()) {
            f.problem(key + ": " + file + " gives the streaming job no input for this run's assertions ("
                    + (kafka ? "kafka.topics.assertions" : "inputs.assertions, file mode") + "): add one there");
            return Optional.empty();
        }
        return Optional.of(new StreamJobConfig(file.toString(), stream));
    }
}

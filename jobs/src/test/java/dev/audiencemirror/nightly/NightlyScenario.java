package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.config.MirrorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Nightly inputs for end-to-end tests and what the lists must hold after a run, computed here
 * without the job's code. Users u0..u(n-1): u{i} has contact 5000+i, except every 10th (i % 10 ==
 * 9), who has only an email alias and so reaches no list. Memberships are random per seed over
 * cohorts c1, c2, c3 and one that is not activated.
 */
public final class NightlyScenario {
    private final int users;
    private final Map<String, Long> activations;

    /** @param activations cohort → list, for c1, c2 and c3 */
    public NightlyScenario(int users, Map<String, Long> activations) {
        this.users = users;
        this.activations = Map.copyOf(activations);
    }

    /** One identity record per user, as JSON Lines. */
    public void writeIdentities(Path file) throws IOException {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < users; i++) {
            String aliases = i % 10 == 9
                    ? "[{\"tag\":\"email\",\"id\":\"x" + i + "\",\"priority\":1}]"
                    : "[{\"tag\":\"adestra\",\"id\":\"" + (5000 + i) + "\",\"priority\":1}]";
            ids.append("{\"user_id\":\"u").append(i).append("\",\"aliases\":").append(aliases)
                    .append(",\"time\":\"2026-11-26T00:00:00Z\"}\n");
        }
        Files.writeString(file, ids);
    }

    /** A membership table: each user in each cohort (three activated, one not) with probability {@code share}. */
    public List<String[]> memberships(long seed, double share) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            for (String cohort : List.of("c1", "c2", "c3", "other")) {
                if (r.nextDouble() < share) {
                    rows.add(new String[] {"u" + i, cohort});
                }
            }
        }
        return rows;
    }

    /** The rows as the membership CSV, then {@code extraLines} as they are (e.g. bad lines). */
    public static void writeMemberships(Path file, List<String[]> rows, String... extraLines) throws IOException {
        StringBuilder csv = new StringBuilder("user_id,cohort\n");
        rows.forEach(r -> csv.append(r[0]).append(',').append(r[1]).append('\n'));
        for (String extra : extraLines) {
            csv.append(extra).append('\n');
        }
        Files.writeString(file, csv);
    }

    /** What the lists must hold after a run over {@code rows}. */
    public SortedMap<Long, SortedSet<Long>> expected(List<String[]> rows) {
        SortedMap<Long, SortedSet<Long>> out = new TreeMap<>();
        activations.values().forEach(l -> out.put(l, new TreeSet<>()));
        for (String[] r : rows) {
            int user = Integer.parseInt(r[0].substring(1));
            Long list = activations.get(r[1]);
            if (list != null && user % 10 != 9) {
                out.get(list).add(5000L + user);
            }
        }
        return out;
    }

    /** Every line of the files under {@code folder} (a run's output folder; hidden files skipped), none if it is absent. */
    public static List<String> linesUnder(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }

    /**
     * A dry run of {@code config} with large removals allowed, at a fixed time, progress discarded;
     * fails unless it ends as a dry run.
     */
    public static RunReport dryRun(MirrorConfig config) throws Exception {
        RunReport report = new NightlyRun(config, new NightlyRun.Options(true, false, true),
                Clock.fixed(Instant.parse("2026-11-27T02:00:00Z"), ZoneOffset.UTC),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).execute();
        assertThat(report.outcome).as("%s", report.failure).isEqualTo(RunReport.Outcome.DRY_RUN);
        return report;
    }
}

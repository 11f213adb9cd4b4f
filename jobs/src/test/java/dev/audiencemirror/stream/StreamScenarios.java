package dev.audiencemirror.stream;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * {@link StreamScenario} for tests outside this package (the multi-process cluster test): its
 * lines, its planted bad lines and the lists it expects, computed without the job's code.
 */
public final class StreamScenarios {
    private StreamScenarios() {}

    /** @param planted bad lines as "identities:N" / "events:N", N the 1-based line number */
    public record Scenario(List<String> identityLines, List<String> eventLines, Set<String> planted,
            SortedMap<Long, SortedSet<Long>> expected, Map<String, Long> activations) {}

    public static Scenario of(long seed, int users, int aliasUsers) {
        StreamScenario s = new StreamScenario(seed, users, aliasUsers);
        return new Scenario(List.copyOf(s.identityLines), List.copyOf(s.eventLines), Set.copyOf(s.planted),
                s.expected, StreamScenario.ACTIVATIONS);
    }
}

package dev.audiencemirror.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which job writes each of a nightly run's lists. A list the streaming job activates
 * ({@code nightly.stream-config}) is written by that job alone: the nightly run hands it its export
 * for that list's cohorts as assertions, stamped with the export's as-of time, and the stream's
 * event-time rule lets the later of the two win for every key. One writer per list is what keeps
 * the connectors' per-key order meaningful; two writers could undo each other. Every other list is
 * pushed by the nightly run as before.
 *
 * @param handedOff cohort to list, for the nightly run's cohorts whose list the stream writes
 * @param pushed the lists the nightly run pushes itself
 */
public record ListOwnership(Optional<StreamJobConfig> streamJob, SortedMap<String, Long> handedOff,
        SortedSet<Long> pushed, List<String> conflicts) {

    public static ListOwnership of(MirrorConfig nightly) {
        return of(nightly.activations(), nightly.nightly().streamJob());
    }

    static ListOwnership of(SortedMap<String, Long> activations, StreamJobConfig job) {
        return of(activations, Optional.of(job));
    }

    private static ListOwnership of(SortedMap<String, Long> activations, Optional<StreamJobConfig> job) {
        SortedSet<Long> streamLists = new TreeSet<>(job.map(j -> j.config().activations().values()).orElse(List.of()));
        SortedMap<String, Long> handedOff = new TreeMap<>();
        SortedSet<Long> pushed = new TreeSet<>();
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<String, Long> a : activations.entrySet()) {
            if (!streamLists.contains(a.getValue())) {
                pushed.add(a.getValue());
                continue;
            }
            handedOff.put(a.getKey(), a.getValue());
            Long streamList = job.get().config().activations().get(a.getKey());
            if (!a.getValue().equals(streamList)) {
                conflicts.add("activations." + a.getKey() + ": list " + a.getValue() + " is written by the streaming job ("
                        + "nightly.stream-config: " + job.get().source() + "), which does not activate cohort " + a.getKey()
                        + " to it, so this run cannot hand it over; activate it there too, or not to that list here");
            }
        }
        return new ListOwnership(job, handedOff, pushed, List.copyOf(conflicts));
    }

    /** The lists the streaming job writes among this run's. */
    public SortedSet<Long> handedOffLists() {
        return new TreeSet<>(handedOff.values());
    }

    public boolean handsOff() {
        return !handedOff.isEmpty();
    }
}

package dev.audiencemirror.stream;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which cohort feeds which Adestra list ({@code activations:} in the config). Several cohorts may
 * feed one list: a contact is on the list while the user is in any of them.
 */
final class Activations implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> listByCohort;
    private final TreeSet<Long> lists;

    Activations(Map<String, Long> listByCohort) {
        this.listByCohort = new TreeMap<>(listByCohort);
        this.lists = new TreeSet<>(listByCohort.values());
    }

    /** The list {@code cohort} is activated to, or {@code null} when it is not activated. */
    Long listOf(String cohort) {
        return listByCohort.get(cohort);
    }

    boolean isActivated(String cohort) {
        return listByCohort.containsKey(cohort);
    }

    SortedSet<Long> lists() {
        return Collections.unmodifiableSortedSet(lists);
    }

    /** The lists of {@code cohorts} (those that are activated), each once. */
    SortedSet<Long> listsOf(Set<String> cohorts) {
        SortedSet<Long> out = new TreeSet<>();
        for (String c : cohorts) {
            Long l = listByCohort.get(c);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    SortedMap<String, Long> asMap() {
        return Collections.unmodifiableSortedMap(listByCohort);
    }
}

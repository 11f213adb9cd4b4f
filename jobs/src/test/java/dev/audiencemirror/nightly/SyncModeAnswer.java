package dev.audiencemirror.nightly;

import dev.audiencemirror.sandbox.taxonomy.Segment;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the lists and the import must hold after nightly runs in any sync mode, some with
 * {@code --full-resync}, over a destination someone edits by hand between them: computed here from
 * the inputs and the modes' meaning as the README states it, without the job's code.
 *
 * <p>A run knows only what runs put on the destination (its snapshot), never a hand edit. Per list
 * it adds the target contacts runs have not put there (with {@code --full-resync}: every target
 * contact) when the mode adds, and removes those runs put there that left the target when the mode
 * removes. Per segment code it creates a code runs have not made when the mode adds, updates one
 * whose definition changed (with {@code --full-resync}: every one) when the mode updates, and
 * deletes one runs made that the input dropped when the mode removes. {@code add}: adds and
 * creates; {@code remove}: removes and deletes; {@code upsert}: adds, creates and updates;
 * {@code mirror}: everything.
 */
final class SyncModeAnswer {
    /** What the lists must hold (hand edits included), per list. */
    final SortedMap<Long, SortedSet<Long>> lists = new TreeMap<>();
    /** What the import must hold, as definitions (hand-made codes included). */
    final SortedMap<String, Segment> segments = new TreeMap<>();
    /** What runs put on the lists and have not taken off. */
    private final Map<Long, Set<Long>> placed = new TreeMap<>();
    /** The definitions runs left in the import. */
    private final Map<String, Segment> made = new TreeMap<>();

    /**
     * One night as the mode saw it: what it sent again ({@code restored}: adds sent again of contacts taken off by
     * hand), and what its mode kept it from sending.
     */
    record Night(long resentAdds, long restored, long resentUpdates, long addsWithheld, long removesWithheld, long createsWithheld,
            long updatesWithheld, long deletesWithheld) {}

    SyncModeAnswer(Collection<Long> listIds) {
        listIds.forEach(l -> {
            lists.put(l, new TreeSet<>());
            placed.put(l, new TreeSet<>());
        });
    }

    static boolean adds(String mode) {
        return !mode.equals("remove");
    }

    static boolean removes(String mode) {
        return mode.equals("remove") || mode.equals("mirror");
    }

    static boolean updates(String mode) {
        return mode.equals("upsert") || mode.equals("mirror");
    }

    /** A run in {@code listMode} and {@code taxonomyMode} over the target lists and definitions. */
    Night night(String listMode, String taxonomyMode, boolean fullResync, Map<Long, ? extends Set<Long>> target,
            Map<String, Segment> definitions) {
        long resentAdds = 0;
        long restored = 0;
        long addsWithheld = 0;
        long removesWithheld = 0;
        for (Map.Entry<Long, Set<Long>> e : placed.entrySet()) {
            long list = e.getKey();
            Set<Long> ours = e.getValue();
            Set<Long> wanted = target.get(list);
            for (long contact : wanted) {
                boolean ourAlready = ours.contains(contact);
                if (!adds(listMode)) {
                    addsWithheld += ourAlready ? 0 : 1;
                } else if (!ourAlready || fullResync) {
                    resentAdds += ourAlready ? 1 : 0;
                    restored += ourAlready && !lists.get(list).contains(contact) ? 1 : 0;
                    lists.get(list).add(contact);
                    ours.add(contact);
                }
            }
            for (long contact : new TreeSet<>(ours)) {
                if (!wanted.contains(contact)) {
                    if (removes(listMode)) {
                        lists.get(list).remove(contact);
                        ours.remove(contact);
                    } else {
                        removesWithheld++;
                    }
                }
            }
        }
        long resentUpdates = 0;
        long createsWithheld = 0;
        long updatesWithheld = 0;
        long deletesWithheld = 0;
        for (Map.Entry<String, Segment> d : definitions.entrySet()) {
            String code = d.getKey();
            Segment before = made.get(code);
            if (before == null) {
                if (adds(taxonomyMode)) {
                    segments.put(code, d.getValue());
                    made.put(code, d.getValue());
                } else {
                    createsWithheld++;
                }
            } else if (!before.equals(d.getValue()) || fullResync) {
                if (updates(taxonomyMode)) {
                    resentUpdates += before.equals(d.getValue()) ? 1 : 0;
                    segments.put(code, d.getValue());
                    made.put(code, d.getValue());
                } else if (!before.equals(d.getValue())) {
                    updatesWithheld++;
                }
            }
        }
        for (String code : new TreeSet<>(made.keySet())) {
            if (!definitions.containsKey(code)) {
                if (removes(taxonomyMode)) {
                    segments.remove(code);
                    made.remove(code);
                } else {
                    deletesWithheld++;
                }
            }
        }
        return new Night(resentAdds, restored, resentUpdates, addsWithheld, removesWithheld, createsWithheld, updatesWithheld,
                deletesWithheld);
    }
}

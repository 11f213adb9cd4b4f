package dev.audiencemirror.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records in phases for the streaming job in each sync mode, and what each mode must leave on lists
 * that held contacts before the job started, computed here without the job's code.
 *
 * <p>Each mode has lists of its own (cohort c1 and c2 to two lists), and every job reads the same
 * records. A third of the contacts have two or three users; every identity comes in the first
 * phase and never changes. In a phase, per (contact, cohort), the contact's users either only
 * enter the cohort, or only leave it (a user never seen in it may send an exit as its first
 * event), or send nothing: so whatever order a phase is read in and wherever a window closes, the
 * contact's place on the list moves only one way during the phase, and the phase's end is what the
 * job must have sent. (The test lets a phase in only once every job has read and checkpointed the
 * one before.)
 *
 * <p>The modes, as the README states them: for a (contact, list) some record of a phase concerns,
 * the job sends the contact's place at the phase's end as the mode allows ({@code add} and
 * {@code upsert}: adds only; {@code remove}: removals only; {@code mirror}: both); a (contact,
 * list) no record concerns keeps what it had.
 */
final class SyncModeScenario {
    static final List<String> MODES = List.of("mirror", "add", "remove", "upsert");
    static final List<String> COHORTS = List.of("c1", "c2");
    static final int PHASES = 3;
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per phase, the identity lines and the event lines. */
    final List<List<String>> identityLines = new ArrayList<>();
    final List<List<String>> eventLines = new ArrayList<>();
    /** Every mode's lists before the job starts. */
    final SortedMap<Long, SortedSet<Long>> before = new TreeMap<>();
    /** Every mode's lists after each phase. */
    final List<SortedMap<Long, SortedSet<Long>>> after = new ArrayList<>();
    /** Contacts on a mirror list before the job started that exits took off, though no user of theirs was ever in its cohort. */
    int preexistingRemoved;

    private final SplittableRandom random;
    private final Set<Long> usedTimes = new HashSet<>();

    SyncModeScenario(long seed, int contacts) {
        random = new SplittableRandom(seed);
        List<List<String>> usersOf = new ArrayList<>();
        int user = 0;
        List<String> identities = new ArrayList<>();
        for (int c = 0; c < contacts; c++) {
            int n = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
            List<String> users = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                String u = "u" + user++;
                users.add(u);
                identities.add(identity(u, contact(c)));
            }
            usersOf.add(users);
        }
        for (String mode : MODES) {
            for (String cohort : COHORTS) {
                SortedSet<Long> held = new TreeSet<>();
                for (int c = 0; c < contacts; c++) {
                    if (random.nextInt(10) < 3) {
                        held.add(contact(c));
                    }
                }
                for (int k = 0; k < 5; k++) {
                    held.add(99_000L + k); // no record ever names these
                }
                before.put(list(mode, cohort), held);
            }
        }
        SortedMap<Long, SortedSet<Long>> lists = copy(before);
        Set<String> in = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Set<String> everIn = new HashSet<>();
        for (int phase = 0; phase < PHASES; phase++) {
            List<String> events = new ArrayList<>();
            for (int c = 0; c < contacts; c++) {
                for (String cohort : COHORTS) {
                    List<String> users = usersOf.get(c);
                    int way = random.nextInt(10);
                    boolean concerned = false;
                    if (way < 4) { // enter: some of those not in the cohort
                        for (String u : users) {
                            if (!in.contains(u + cohort) && random.nextInt(10) < 6) {
                                events.add(event(u, cohort, true, phase));
                                in.add(u + cohort);
                                everIn.add(u + cohort);
                                seen.add(u + cohort);
                                concerned = true;
                            }
                        }
                    } else if (way < 8) { // leave: some of those in it; one never seen in it may exit first
                        for (String u : users) {
                            boolean leaves = in.contains(u + cohort) ? random.nextInt(10) < 6
                                    : !seen.contains(u + cohort) && random.nextInt(10) < 3;
                            if (leaves) {
                                events.add(event(u, cohort, false, phase));
                                in.remove(u + cohort);
                                seen.add(u + cohort);
                                concerned = true;
                            }
                        }
                    }
                    if (!concerned) {
                        continue;
                    }
                    boolean on = users.stream().anyMatch(u -> in.contains(u + cohort));
                    for (String mode : MODES) {
                        SortedSet<Long> list = lists.get(list(mode, cohort));
                        boolean adds = !mode.equals("remove");
                        boolean removes = mode.equals("remove") || mode.equals("mirror");
                        if (on && adds) {
                            list.add(contact(c));
                        } else if (!on && removes && list.remove(contact(c)) && mode.equals("mirror")
                                && users.stream().noneMatch(u -> everIn.contains(u + cohort))) {
                            preexistingRemoved++;
                        }
                    }
                }
            }
            Collections.shuffle(events, new java.util.Random(random.nextLong()));
            eventLines.add(events);
            identityLines.add(phase == 0 ? shuffled(identities) : List.of());
            after.add(copy(lists));
        }
    }

    static long list(String mode, String cohort) {
        return 300 + 10L * MODES.indexOf(mode) + COHORTS.indexOf(cohort) + 1;
    }

    /** The activations of {@code mode}'s job, e.g. {@code "c1: 301, c2: 302"}. */
    static String activations(String mode) {
        return "c1: " + list(mode, "c1") + ", c2: " + list(mode, "c2");
    }

    static long[] lists(String mode) {
        return COHORTS.stream().mapToLong(c -> list(mode, c)).toArray();
    }

    /** {@code lists}, only those of {@code mode}. */
    static SortedMap<Long, SortedSet<Long>> of(String mode, SortedMap<Long, SortedSet<Long>> lists) {
        SortedMap<Long, SortedSet<Long>> out = new TreeMap<>();
        for (long l : lists(mode)) {
            out.put(l, lists.get(l));
        }
        return out;
    }

    private static long contact(int c) {
        return 20_000L + c;
    }

    private static SortedMap<Long, SortedSet<Long>> copy(SortedMap<Long, SortedSet<Long>> lists) {
        SortedMap<Long, SortedSet<Long>> out = new TreeMap<>();
        lists.forEach((l, c) -> out.put(l, new TreeSet<>(c)));
        return out;
    }

    private List<String> shuffled(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        Collections.shuffle(out, new java.util.Random(random.nextLong()));
        return out;
    }

    private String identity(String user, long contact) {
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", user);
        ObjectNode alias = n.putArray("aliases").addObject();
        alias.put("tag", "adestra");
        alias.put("id", String.valueOf(contact));
        alias.put("priority", 0);
        n.put("time", T0.minusSeconds(86_400).toString());
        return n.toString();
    }

    /** An event at a time of its own within its phase's hour. */
    private String event(String user, String cohort, boolean entry, int phase) {
        long ms;
        do {
            ms = phase * 3_600_000L + random.nextLong(1, 3_600_000);
        } while (!usedTimes.add(ms));
        ObjectNode n = JSON.createObjectNode();
        n.put("name", entry ? "SegmentEntry" : "SegmentExit");
        n.put("user_id", user);
        n.putObject("properties").put("segment_id", cohort);
        n.put("time", T0.plusMillis(ms).toString());
        return n.toString();
    }
}

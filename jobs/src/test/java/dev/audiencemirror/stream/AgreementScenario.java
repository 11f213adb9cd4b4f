package dev.audiencemirror.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random records for holding the streaming job and the nightly run to one answer, and that answer,
 * computed here from the records alone (without either job's code):
 *
 * <ul>
 *   <li>users who share contact IDs (a small pool of contacts), change them, lose them (an identity
 *       with no contact alias), or never have one;
 *   <li>identity records of one user with the same event time (the one later in the input wins),
 *       and identities arriving late, after the user's events or after newer identities;
 *   <li>events out of order, flapping in and out of a cohort, several cohorts activated to one list
 *       (c2 and c3 both feed 679), a cohort that is not activated;
 *   <li>optionally, keys named by their contact alias ({@code alias:adestra:<contact>}), some on
 *       contacts of the users' pool;
 *   <li>bad records, rejected by the streaming job, some naming real users: a record we could not
 *       read changes nothing, so they are not part of the answer, nor of the nightly snapshot;
 *       and records the job ignores (a {@code Pageview}, an empty line).
 * </ul>
 *
 * The answer: per user the latest identity by (event time, line), its best-priority contact alias;
 * per (user, cohort) the latest event by event time (times are distinct per user and cohort); an
 * alias key's contact is its own; a contact is on a list while at least one of its users is in a
 * cohort activated to that list. Ties go by input order, so a feed must keep each user's records
 * in their order (one file, or one Kafka partition per user: {@link KafkaScenarioRecords}).
 */
final class AgreementScenario {
    static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 679L);
    static final List<String> COHORTS = List.of("c1", "c2", "c3", "other");
    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** In arrival order: line n of the streaming input is element n - 1. */
    final List<String> identityLines = new ArrayList<>();
    final List<String> eventLines = new ArrayList<>();
    /** The nightly snapshot: the winning identity line per user, and (user, cohort) rows of the cohorts they are in. */
    final List<String> snapshotIdentities = new ArrayList<>();
    final List<String[]> snapshotMemberships = new ArrayList<>();
    /** Event time in seconds after {@link #T0} of each line of {@link #identityLines} / {@link #eventLines}; -1 for a bad line. */
    final List<Long> identityTimes = new ArrayList<>();
    final List<Long> eventTimes = new ArrayList<>();
    final SortedMap<Long, SortedSet<Long>> expected = new TreeMap<>();
    private final Map<String, List<Identity>> identities = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Event>>> events = new LinkedHashMap<>();
    /** Planted bad lines, as "identities:N" / "events:N" (N the 1-based line number): each must be rejected. */
    final Set<String> planted = new TreeSet<>();
    /** Contacts several users (or alias keys) put on a list in the final answer (to check the scenario is worth its name). */
    int sharedContacts;
    /** The hard cases this seed holds, counted from the records (see {@link StreamScenarios.HardCases}). */
    final StreamScenarios.HardCases hardCases;

    private record Identity(int line, long time, String contact, String json) {}

    private record Event(long time, boolean entry) {}

    AgreementScenario(long seed) {
        this(seed, 0);
    }

    /** {@code users} users, or, when 0, between 10 and 19 of them. */
    AgreementScenario(long seed, int userCount) {
        this(seed, userCount, 0);
    }

    /**
     * As above, plus {@code aliasUsers} keys whose events name the user by the contact alias
     * ({@code alias:adestra:<contact>}, no identity record), half of them on contacts of the
     * users' pool: they hold those contacts beside the users. Drawn from a random of their own, so
     * the rest of a seed is the same with or without them.
     */
    AgreementScenario(long seed, int userCount, int aliasUsers) {
        SplittableRandom random = new SplittableRandom(seed);
        int users = userCount > 0 ? userCount : 10 + random.nextInt(10);
        int contacts = Math.max(3, users * 2 / 3);
        List<String[]> pendingIdentities = new ArrayList<>(); // user, json, time, contact
        List<String[]> evs = new ArrayList<>(); // json, time

        for (int u = 0; u < users; u++) {
            String user = "u" + u;
            int n = random.nextInt(10) < 1 ? 0 : 1 + random.nextInt(3);
            long time = random.nextLong(1, 100);
            for (int k = 0; k < n; k++) {
                // Often the very same instant as the user's previous record: a tie, broken by input position.
                if (k > 0 && random.nextInt(3) > 0) {
                    time = random.nextBoolean() ? time : random.nextLong(1, 100);
                } else if (k > 0) {
                    time = random.nextLong(1, 100);
                }
                String contact = random.nextInt(8) == 0 ? null : String.valueOf(7000 + random.nextInt(contacts));
                pendingIdentities.add(new String[] {user, identity(user, contact, time, random), String.valueOf(time),
                        contact});
            }
            Map<String, List<Event>> byCohort = new LinkedHashMap<>();
            for (String cohort : COHORTS) {
                int m = random.nextInt(4);
                Set<Long> times = new HashSet<>();
                boolean entry = random.nextBoolean();
                for (int k = 0; k < m; k++) {
                    long t;
                    do {
                        t = random.nextLong(1, 200);
                    } while (!times.add(t));
                    entry = random.nextInt(4) == 0 ? entry : !entry; // mostly flapping
                    byCohort.computeIfAbsent(cohort, c -> new ArrayList<>()).add(new Event(t, entry));
                    evs.add(new String[] {event(user, cohort, entry, t), String.valueOf(t)});
                }
            }
            events.put(user, byCohort);
        }

        // Arrival order: shuffled (late and out of order), but a user's same-time identities keep
        // their relative order only by chance: whichever comes later in the input wins.
        Collections.shuffle(pendingIdentities, new java.util.Random(random.nextLong()));
        Collections.shuffle(evs, new java.util.Random(random.nextLong()));
        for (String[] p : pendingIdentities) {
            identityLines.add(p[1]);
            identityTimes.add(Long.parseLong(p[2]));
            identities.computeIfAbsent(p[0], x -> new ArrayList<>())
                    .add(new Identity(identityLines.size(), Long.parseLong(p[2]), p[3], p[1]));
        }
        evs.forEach(e -> {
            eventLines.add(e[0]);
            eventTimes.add(Long.parseLong(e[1]));
        });
        addAliasUsers(new SplittableRandom(seed * 1_000_003 + 11), aliasUsers, contacts);
        plantBadLines(random, users);

        ACTIVATIONS.values().forEach(l -> expected.put(l, new TreeSet<>()));
        Map<String, Set<String>> usersByContact = new TreeMap<>();
        for (int u = 0; u < users; u++) {
            String user = "u" + u;
            Identity latest = null;
            for (Identity i : identities.getOrDefault(user, List.of())) {
                if (latest == null || i.time() > latest.time() || (i.time() == latest.time() && i.line() > latest.line())) {
                    latest = i;
                }
            }
            if (latest != null) {
                snapshotIdentities.add(latest.json());
            }
            for (var e : events.get(user).entrySet()) {
                Event last = e.getValue().stream().max((a, b) -> Long.compare(a.time(), b.time())).orElseThrow();
                if (!last.entry()) {
                    continue;
                }
                snapshotMemberships.add(new String[] {user, e.getKey()});
                Long list = ACTIVATIONS.get(e.getKey());
                if (list != null && latest != null && latest.contact() != null) {
                    expected.get(list).add(Long.parseLong(latest.contact()));
                    usersByContact.computeIfAbsent(latest.contact(), c -> new TreeSet<>()).add(user);
                }
            }
        }
        for (var byKey : events.entrySet()) {
            if (!byKey.getKey().startsWith(ALIAS_KEY)) {
                continue;
            }
            String contact = byKey.getKey().substring(ALIAS_KEY.length());
            for (var e : byKey.getValue().entrySet()) {
                Event last = e.getValue().stream().max((a, b) -> Long.compare(a.time(), b.time())).orElseThrow();
                Long list = ACTIVATIONS.get(e.getKey());
                if (list != null && last.entry()) {
                    expected.get(list).add(Long.parseLong(contact));
                    usersByContact.computeIfAbsent(contact, c -> new TreeSet<>()).add(byKey.getKey());
                }
            }
        }
        sharedContacts = (int) usersByContact.values().stream().filter(s -> s.size() > 1).count();
        hardCases = countHardCases();
    }

    private static final String ALIAS_KEY = "alias:adestra:";

    /** Events of keys named by their contact alias, at random places among the events. */
    private void addAliasUsers(SplittableRandom random, int aliasUsers, int contacts) {
        Set<String> taken = new HashSet<>();
        for (int j = 0; j < aliasUsers; j++) {
            String pooled = String.valueOf(7000 + random.nextInt(contacts));
            String contact = random.nextBoolean() && taken.add(pooled) ? pooled : String.valueOf(90_000 + j);
            Map<String, List<Event>> byCohort = new LinkedHashMap<>();
            for (String cohort : COHORTS) {
                int m = random.nextInt(3);
                Set<Long> times = new HashSet<>();
                for (int k = 0; k < m; k++) {
                    long t;
                    do {
                        t = random.nextLong(1, 200);
                    } while (!times.add(t));
                    boolean entry = random.nextBoolean();
                    byCohort.computeIfAbsent(cohort, c -> new ArrayList<>()).add(new Event(t, entry));
                    int at = random.nextInt(eventLines.size() + 1);
                    eventLines.add(at, aliasEvent(contact, cohort, entry, t));
                    eventTimes.add(at, t);
                }
            }
            events.put(ALIAS_KEY + contact, byCohort);
        }
    }

    /**
     * Per user with identity records: a contact change (two records naming different contacts, or
     * one none), a same-time pair naming different contacts (decided by input order), a late
     * record (after one of the user's newer records in the input).
     */
    private StreamScenarios.HardCases countHardCases() {
        int changes = 0;
        int sameTime = 0;
        int late = 0;
        for (List<Identity> list : identities.values()) {
            if (list.stream().map(i -> String.valueOf(i.contact())).distinct().count() > 1) {
                changes++;
            }
            boolean tie = false;
            boolean wasLate = false;
            for (Identity a : list) {
                for (Identity b : list) {
                    tie |= a.line() < b.line() && a.time() == b.time() && !String.valueOf(a.contact()).equals(String.valueOf(b.contact()));
                    wasLate |= a.line() < b.line() && a.time() > b.time();
                }
            }
            sameTime += tie ? 1 : 0;
            late += wasLate ? 1 : 0;
        }
        return new StreamScenarios.HardCases(sharedContacts, changes, sameTime, late);
    }

    /** Identity lines, later in the input; bad lines in both inputs, some naming users of the scenario. */
    private void plantBadLines(SplittableRandom random, int users) {
        String user = "u" + random.nextInt(users);
        List<String> badIds = List.of(
                "{\"user_id\":\"" + user + "\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"12ab\",\"priority\":0}],"
                        + "\"time\":\"2026-11-28T00:00:00Z\"}",
                "{\"user_id\":",
                "not json at all");
        List<String> badEvents = List.of(
                "{\"name\":\"SegmentEntry\",\"user_id\":\"" + user + "\",\"time\":\"2026-11-28T00:00:00Z\"}",
                "{\"name\":\"SegmentExit\",\"user_id\":\"" + user + "\",\"properties\":{\"segment_id\":\"c1\"},\"time\":\"yesterday\"}",
                "{\"name\":\"SegmentEntry\",\"alias\":{\"tag\":\"email\",\"id\":\"a@b\"},\"properties\":{\"segment_id\":\"c1\"},"
                        + "\"time\":\"2026-11-28T00:00:00Z\"}");
        // Appended: line numbers of the good lines, which decide ties, stay as they are.
        identityLines.addAll(badIds);
        badIds.forEach(b -> identityTimes.add(-1L));
        for (int n = identityLines.size() - badIds.size() + 1; n <= identityLines.size(); n++) {
            planted.add("identities:" + n);
        }
        int at = random.nextInt(eventLines.size() + 1);
        eventLines.addAll(at, badEvents); // events: no positions in the answer
        badEvents.forEach(b -> eventTimes.add(at, -1L));
        for (int n = at + 1; n <= at + badEvents.size(); n++) {
            planted.add("events:" + n);
        }
        // Valid, but not for this job: ignored, never rejected (after the planted ones, whose numbers stay).
        eventLines.addAll(at + badEvents.size(), IGNORED_EVENTS);
        IGNORED_EVENTS.forEach(b -> eventTimes.add(at + badEvents.size(), -1L));
    }

    private static final List<String> IGNORED_EVENTS =
            List.of("{\"name\":\"Pageview\",\"user_id\":\"u1\",\"time\":\"2026-11-28T00:00:00Z\"}", "");

    /** A nightly export as of an instant: the winning identity line per user and the (user, cohort) rows, of records up to it. */
    record Export(java.time.Instant asOf, List<String> identities, List<String[]> memberships, Map<String, String> contactByUser) {
        /** The users the export names: with an identity line or a membership row of one of {@code cohorts}. */
        long users(Set<String> cohorts) {
            Set<String> named = new HashSet<>();
            identities.forEach(line -> named.add(line.substring(line.indexOf("\"user_id\":\"") + 11, line.indexOf('"', line.indexOf("\"user_id\":\"") + 11))));
            memberships.stream().filter(r -> cohorts.contains(r[1])).forEach(r -> named.add(r[0]));
            return named.size();
        }
    }

    /**
     * The snapshot an export taken at {@code T0 + seconds} holds: per user the latest identity up to
     * then (by time, then line), and the cohorts their latest event up to then puts them in.
     */
    Export exportAsOf(double seconds) {
        List<String> ids = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        Map<String, String> contacts = new TreeMap<>();
        for (String user : events.keySet()) {
            if (user.startsWith(ALIAS_KEY)) {
                continue; // not a user the export names
            }
            Identity latest = null;
            for (Identity i : identities.getOrDefault(user, List.of())) {
                if (i.time() <= seconds
                        && (latest == null || i.time() > latest.time() || (i.time() == latest.time() && i.line() > latest.line()))) {
                    latest = i;
                }
            }
            if (latest != null) {
                ids.add(latest.json());
                if (latest.contact() != null) {
                    contacts.put(user, latest.contact());
                }
            }
            for (var e : events.get(user).entrySet()) {
                e.getValue().stream().filter(ev -> ev.time() <= seconds).max((a, b) -> Long.compare(a.time(), b.time()))
                        .filter(Event::entry).ifPresent(ev -> rows.add(new String[] {user, e.getKey()}));
            }
        }
        return new Export(T0.plusMillis(Math.round(seconds * 1000)), ids, rows, contacts);
    }

    /** Whether identity line {@code line} (1-based) shares its user's event time with another of that user's identities. */
    boolean identityTimeIsShared(int line) {
        for (List<Identity> list : identities.values()) {
            for (Identity i : list) {
                if (i.line() == line) {
                    return list.stream().filter(o -> o.time() == i.time()).count() > 1;
                }
            }
        }
        return false;
    }

    private static String identity(String user, String contact, long seconds, SplittableRandom random) {
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", user);
        ArrayNode aliases = n.putArray("aliases");
        ObjectNode email = aliases.addObject();
        email.put("tag", "email");
        email.put("id", user + "@example.com");
        email.put("priority", 0);
        if (contact != null) {
            int best = random.nextInt(3);
            ObjectNode a = aliases.addObject();
            a.put("tag", "adestra");
            a.put("id", contact);
            a.put("priority", best);
            if (random.nextInt(4) == 0) { // a second contact alias of lower priority: must lose
                ObjectNode b = aliases.addObject();
                b.put("tag", "adestra");
                b.put("id", String.valueOf(9000 + random.nextInt(50)));
                b.put("priority", best + 1);
            }
        }
        n.put("time", T0.plusSeconds(seconds).toString());
        return n.toString();
    }

    private static String aliasEvent(String contact, String cohort, boolean entry, long seconds) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", entry ? "SegmentEntry" : "SegmentExit");
        ObjectNode a = n.putObject("alias");
        a.put("tag", "adestra");
        a.put("id", contact);
        n.putObject("properties").put("segment_id", cohort);
        n.put("time", T0.plusSeconds(seconds).toString());
        return n.toString();
    }

    private static String event(String user, String cohort, boolean entry, long seconds) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", entry ? "SegmentEntry" : "SegmentExit");
        n.put("user_id", user);
        n.putObject("properties").put("segment_id", cohort);
        n.put("time", T0.plusSeconds(seconds).toString());
        return n.toString();
    }
}

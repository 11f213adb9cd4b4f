package dev.audiencemirror.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random identity and event lines for the streaming job's end-to-end tests, shuffled so that event
 * times arrive out of order and identities before or after memberships, with a few bad lines
 * planted; and the lists the destination must end with, computed here from the same records,
 * without the job's code: per user the latest identity by time (best-priority contact alias), per
 * (user, cohort) the latest event by time, contacts on the lists of the activated cohorts they
 * are in.
 */
final class StreamScenario {
    static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 679L);
    static final List<String> COHORTS = List.of("c1", "c2", "c3", "other");
    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<String> identityLines = new ArrayList<>();
    final List<String> eventLines = new ArrayList<>();
    /** Planted bad lines, as "identities:<line number>" / "events:<line number>". */
    final Set<String> planted = new TreeSet<>();
    final SortedMap<Long, SortedSet<Long>> expected = new TreeMap<>();

    private final SplittableRandom random;
    private long nextContact = 10_000;
    private final Set<Long> usedTimes = new HashSet<>();

    private record Identity(Instant time, String contact) {}

    private record Event(Instant time, boolean entry) {}

    /** Per key (user ID or alias key): latest identity, latest event per cohort. */
    private final Map<String, List<Identity>> identities = new HashMap<>();
    private final Map<String, Map<String, List<Event>>> events = new HashMap<>();

    StreamScenario(long seed, int users, int aliasUsers) {
        random = new SplittableRandom(seed);
        ACTIVATIONS.values().forEach(l -> expected.put(l, new TreeSet<>()));
        List<String> ids = new ArrayList<>();
        List<String> evs = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = "u" + i;
            double kind = random.nextDouble();
            if (kind < 0.85) {
                ids.add(identity(user, contactAliases()));
                if (random.nextDouble() < 0.3) { // a second record: usually a new contact, sometimes none
                    ids.add(identity(user, random.nextDouble() < 0.15 ? otherAliasOnly() : contactAliases()));
                }
            } else if (kind < 0.93) {
                ids.add(identity(user, otherAliasOnly())); // never gets a contact: held
            } // else no identity at all: held
            for (String cohort : COHORTS) {
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    evs.add(event(user, null, cohort));
                }
            }
        }
        for (int j = 0; j < aliasUsers; j++) {
            String contact = String.valueOf(90_000 + j);
            for (String cohort : COHORTS) {
                int n = random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    evs.add(event(null, contact, cohort));
                }
            }
        }
        Collections.shuffle(ids, new java.util.Random(random.nextLong()));
        Collections.shuffle(evs, new java.util.Random(random.nextLong()));
        identityLines.addAll(ids);
        eventLines.addAll(evs);
        plantBadLines();
        computeExpected();
    }

    private Instant uniqueTime() {
        long s;
        do {
            s = random.nextLong(1, 3_600_000);
        } while (!usedTimes.add(s));
        return T0.plusMillis(s);
    }

    private ArrayNode contactAliases() {
        ArrayNode aliases = JSON.createArrayNode();
        aliases.add(alias("email", "x" + random.nextInt(1000) + "@example.com", 0));
        int best = random.nextInt(5);
        aliases.add(alias("adestra", String.valueOf(nextContact++), best));
        if (random.nextDouble() < 0.2) { // a second contact alias of lower priority: must lose
            aliases.add(alias("adestra", String.valueOf(nextContact++), best + 1 + random.nextInt(3)));
        }
        return aliases;
    }

    private ArrayNode otherAliasOnly() {
        ArrayNode aliases = JSON.createArrayNode();
        aliases.add(alias("email", "y" + random.nextInt(1000) + "@example.com", 0));
        return aliases;
    }

    private static ObjectNode alias(String tag, String id, int priority) {
        ObjectNode a = JSON.createObjectNode();
        a.put("tag", tag);
        a.put("id", id);
        a.put("priority", priority);
        return a;
    }

    private String identity(String user, ArrayNode aliases) {
        Instant time = uniqueTime();
        String contact = null;
        int best = Integer.MAX_VALUE;
        for (var a : aliases) {
            if (a.get("tag").asText().equals("adestra") && a.get("priority").asInt() < best) {
                best = a.get("priority").asInt();
                contact = a.get("id").asText();
            }
        }
        identities.computeIfAbsent(user, u -> new ArrayList<>()).add(new Identity(time, contact));
        ObjectNode n = JSON.createObjectNode();
        n.put("user_id", user);
        n.set("aliases", aliases);
        n.put("time", time.toString());
        return n.toString();
    }

    /** {@code user} or, when null, the contact alias {@code contact}. */
    private String event(String user, String contact, String cohort) {
        Instant time = uniqueTime();
        boolean entry = random.nextBoolean();
        String key = user != null ? user : "alias:adestra:" + contact;
        events.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(cohort, c -> new ArrayList<>())
                .add(new Event(time, entry));
        ObjectNode n = JSON.createObjectNode();
        n.put("name", entry ? "SegmentEntry" : "SegmentExit");
        if (user != null) {
            n.put("user_id", user);
        } else {
            ObjectNode a = JSON.createObjectNode();
            a.put("tag", "adestra");
            a.put("id", contact);
            n.set("alias", a);
        }
        n.putObject("properties").put("segment_id", cohort);
        n.put("time", time.toString());
        return n.toString();
    }

    private void plantBadLines() {
        // Valid but not for this job: ignored, never rejected. (Inserted first: plant() keeps the
        // planted line numbers right only for lines inserted after them.)
        insert(eventLines, "{\"name\":\"Pageview\",\"user_id\":\"u1\",\"time\":\"2026-11-27T00:00:00Z\"}");
        insert(eventLines, "");
        plant(eventLines, "events", "this is not json");
        plant(eventLines, "events", "{\"name\":\"SegmentEntry\",\"user_id\":\"u1\",\"time\":\"2026-11-27T00:00:00Z\"}");
        plant(eventLines, "events", "{\"name\":\"SegmentEntry\",\"alias\":{\"tag\":\"email\",\"id\":\"a@b\"},"
                + "\"properties\":{\"segment_id\":\"c1\"},\"time\":\"2026-11-27T00:00:00Z\"}");
        plant(eventLines, "events", "{\"name\":\"SegmentExit\",\"alias\":{\"tag\":\"adestra\",\"id\":\"12ab\"},"
                + "\"properties\":{\"segment_id\":\"c1\"},\"time\":\"2026-11-27T00:00:00Z\"}");
        plant(identityLines, "identities", "{\"user_id\":\"u2\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"abc\","
                + "\"priority\":0}],\"time\":\"2026-11-27T23:00:00Z\"}");
        plant(identityLines, "identities", "{\"user_id\":");
    }

    private void plant(List<String> lines, String source, String line) {
        int at = insert(lines, line);
        // Line numbers of the lines after it moved by one: recompute all planted ones of this source.
        Set<String> moved = new TreeSet<>();
        for (String p : planted) {
            String[] sp = p.split(":");
            int n = Integer.parseInt(sp[1]);
            moved.add(sp[0].equals(source) && n > at ? sp[0] + ":" + (n + 1) : p);
        }
        planted.clear();
        planted.addAll(moved);
        planted.add(source + ":" + (at + 1));
    }

    private int insert(List<String> lines, String line) {
        int at = random.nextInt(lines.size() + 1);
        lines.add(at, line);
        return at;
    }

    private void computeExpected() {
        Set<String> keys = new HashSet<>(identities.keySet());
        keys.addAll(events.keySet());
        for (String key : keys) {
            String contact = key.startsWith("alias:adestra:") ? key.substring("alias:adestra:".length()) : null;
            List<Identity> ids = identities.getOrDefault(key, List.of());
            if (!ids.isEmpty()) {
                contact = ids.stream().max((a, b) -> a.time().compareTo(b.time())).orElseThrow().contact();
            }
            if (contact == null) {
                continue;
            }
            for (var e : events.getOrDefault(key, Map.of()).entrySet()) {
                Long list = ACTIVATIONS.get(e.getKey());
                Event last = e.getValue().stream().max((a, b) -> a.time().compareTo(b.time())).orElseThrow();
                if (list != null && last.entry()) {
                    expected.get(list).add(Long.parseLong(contact));
                }
            }
        }
    }
}

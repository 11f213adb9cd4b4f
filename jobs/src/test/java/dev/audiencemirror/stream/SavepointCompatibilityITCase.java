package dev.audiencemirror.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.destinations.Destinations;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints of the streaming job restore into the job built from the current code, with every
 * operator's state matched ({@code execution.state-recovery.ignore-unclaimed-state: false}), and
 * the restored state is what the job goes on from: a user's contact ID known only from the
 * savepoint is what a later exit removes from the list.
 *
 * <p>The fixtures, {@code state-schemas/src/test/resources/savepoints/stream-v1} and {@code stream-v2},
 * were written by the job itself ({@link #writeFixture}, run by hand: see {@code SERIALIZERS.md}). A change that
 * renames an operator's {@code uid} or a state, or changes a state type's format without a
 * migration, makes {@link #theCommittedFixtureRestoresIntoTheCurrentJob} fail. A fixture is never
 * rewritten to make that test pass: a new fixture version is added beside the old one.
 */
class SavepointCompatibilityITCase {

    static final Path FIXTURES = Path.of("..", "state-schemas", "src", "test", "resources", "savepoints");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679).imports("c60fea69-30cd-5ff9-9742-15f2b2c19a36").build();

    @TempDir
    Path dir;

    /** Identities: user → contact; events: user, cohort, entry?, seconds after T0. */
    private record Inputs(Map<String, String> contacts, List<Object[]> events) {}

    /** What the fixture's job read: 6 users with contacts, some entries and exits. */
    private static Inputs fixtureInputs() {
        Map<String, String> contacts = new LinkedHashMap<>();
        for (int u = 1; u <= 6; u++) {
            contacts.put("u" + u, String.valueOf(5000 + u));
        }
        List<Object[]> events = List.of(
                new Object[] {"u1", "c1", true, 10}, new Object[] {"u2", "c1", true, 11},
                new Object[] {"u3", "c2", true, 12}, new Object[] {"u4", "c2", true, 13},
                new Object[] {"u4", "c3", true, 14}, new Object[] {"u5", "c1", true, 15},
                new Object[] {"u5", "c1", false, 16}, new Object[] {"u6", "c3", true, 17});
        return new Inputs(contacts, events);
    }

    /**
     * What the restored job reads: events of the savepoint's users only, so their contacts can come
     * from the savepoint alone; and a new user, u7, who shares u3's contact.
     */
    private static List<Object[]> laterEvents() {
        return List.of(
                new Object[] {"u1", "c1", false, 100}, // u1 leaves 678: contact 5001 from state
                new Object[] {"u2", "c2", true, 101}, // u2 joins 679: contact 5002 from state
                new Object[] {"u4", "c2", false, 102}, // u4 still in c3, also 679: stays
                new Object[] {"u3", "c2", true, 5}, // older than u3's entry state holds: no change
                new Object[] {"u6", "c3", false, 103}, // u6 leaves 679
                // u7 joins and leaves 679; u3 (in the savepoint) still puts 5003 there: it stays.
                new Object[] {"u7", "c2", true, 104}, new Object[] {"u7", "c2", false, 105});
    }

    private static Map<String, String> laterContacts() {
        return Map.of("u7", "5003");
    }

    /** The lists from the inputs, computed here: latest event per (user, cohort), contact per user. */
    private static SortedMap<Long, SortedSet<Long>> expectedLists(Map<String, String> contacts, List<Object[]> events) {
        Map<String, Long> activations = Map.of("c1", 678L, "c2", 679L, "c3", 679L);
        Map<String, Object[]> latest = new TreeMap<>();
        for (Object[] e : events) {
            String k = e[0] + "/" + e[1];
            if (!latest.containsKey(k) || (int) latest.get(k)[3] < (int) e[3]) {
                latest.put(k, e);
            }
        }
        SortedMap<Long, SortedSet<Long>> lists = new TreeMap<>(Map.of(678L, new TreeSet<>(), 679L, new TreeSet<>()));
        latest.values().stream().filter(e -> (boolean) e[2])
                .forEach(e -> lists.get(activations.get((String) e[1])).add(Long.parseLong(contacts.get((String) e[0]))));
        return lists;
    }

    private MirrorConfig config(Path inputs, String restoreFrom) {
        return config(inputs, restoreFrom, false);
    }

    private MirrorConfig config(Path inputs, String restoreFrom, boolean ignoreUnclaimed) {
        TestConfig config = TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 679")
                .taxonomy("import-id: c60fea69-30cd-5ff9-9742-15f2b2c19a36")
                .watchedFolders(inputs)
                .stream("window: 100ms", "dead-letter-dir: " + dir.resolve("stream"), "watch-interval: 200ms")
                .checkpointsEvery("300 ms")
                .flink("execution.state-recovery.ignore-unclaimed-state: " + ignoreUnclaimed);
        if (restoreFrom != null) {
            config.flink("execution.state-recovery.path: file://" + restoreFrom);
        }
        return config.load();
    }

    /** Runs the job in file mode on {@code files} until the lists equal {@code expected}; returns the savepoint if asked. */
    private String run(MirrorConfig config, Path inputs, Map<String, List<String>> files,
            SortedMap<Long, SortedSet<Long>> expected, Path savepointTo) throws Exception {
        Files.createDirectories(inputs.resolve("identities"));
        Files.createDirectories(inputs.resolve("events"));
        try (Destinations destinations = Destinations.open(config, dir.resolve("sandbox.json"))) {
            JobClient job = StreamJobs.define(config, StreamConnections.forConfig(config), destinations)
                    .executeAsync("savepoint compatibility");
            try {
                for (var f : files.entrySet()) {
                    Path target = inputs.resolve(f.getKey());
                    Path tmp = target.resolveSibling("." + target.getFileName());
                    Files.write(tmp, f.getValue(), StandardCharsets.UTF_8);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!SANDBOX.client().contactsByList(678, 679).equals(expected) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(SANDBOX.client().contactsByList(678, 679)).isEqualTo(expected);
                if (savepointTo != null) {
                    // Everything has reached the sandbox: the sink holds nothing unacknowledged.
                    return job.stopWithSavepoint(false, savepointTo.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get();
                }
                return null;
            } finally {
                if (savepointTo == null) {
                    job.cancel().get();
                }
                try {
                    job.getJobExecutionResult().get();
                } catch (java.util.concurrent.ExecutionException stopped) {
                    // a cancelled job has no result
                }
            }
        }
    }

    private static Map<String, List<String>> lines(Inputs inputs, String suffix) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        if (!inputs.contacts().isEmpty()) {
            List<String> ids = new ArrayList<>();
            inputs.contacts().forEach((user, contact) -> {
                ObjectNode n = JSON.createObjectNode();
                n.put("user_id", user);
                ObjectNode a = n.putArray("aliases").addObject();
                a.put("tag", "adestra");
                a.put("id", contact);
                a.put("priority", 0);
                n.put("time", T0.toString());
                ids.add(n.toString());
            });
            files.put("identities/identities-" + suffix + ".jsonl", ids);
        }
        List<String> evs = new ArrayList<>();
        for (Object[] e : inputs.events()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("name", (boolean) e[2] ? "SegmentEntry" : "SegmentExit");
            n.put("user_id", (String) e[0]);
            n.putObject("properties").put("segment_id", (String) e[1]);
            n.put("time", T0.plusSeconds((int) e[3]).toString());
            evs.add(n.toString());
        }
        files.put("events/events-" + suffix + ".jsonl", evs);
        return files;
    }

    private void restoreAndContinue(String savepoint) throws Exception {
        restoreAndContinue(savepoint, false);
    }

    private void restoreAndContinue(String savepoint, boolean ignoreUnclaimed) throws Exception {
        Inputs fixture = fixtureInputs();
        SortedMap<Long, SortedSet<Long>> before = expectedLists(fixture.contacts(), fixture.events());
        // The destination as the fixture's job left it.
        before.forEach((list, contacts) -> SANDBOX.client().putList(list, contacts));
        List<Object[]> all = new ArrayList<>(fixture.events());
        all.addAll(laterEvents());
        Map<String, String> contacts = new LinkedHashMap<>(fixture.contacts());
        contacts.putAll(laterContacts());
        SortedMap<Long, SortedSet<Long>> after = expectedLists(contacts, all);
        assertThat(after).as("the later events change the lists").isNotEqualTo(before);
        assertThat(after.get(679L)).as("u3's contact, shared with u7").contains(5003L);

        Path inputs = dir.resolve("in-restored");
        run(config(inputs, savepoint, ignoreUnclaimed), inputs, lines(new Inputs(laterContacts(), laterEvents()), "later"),
                after, null);
    }

    /**
     * {@code stream-v1}: before the diff kept holders, and UserState had no identity position: both
     * states are migrated, and the holders rebuilt, on restore. {@code stream-v2}: the current formats.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stream-v1", "stream-v2"})
    void theCommittedFixtureRestoresIntoTheCurrentJob(String fixture) throws Exception {
        Path committed = FIXTURES.resolve(fixture);
        assertThat(committed.resolve("_metadata")).as("the committed savepoint fixture").exists();
        // Restored from a copy: a restore may write beside the savepoint.
        Path copy = dir.resolve("fixture");
        copyTree(committed, copy);
        // The one state a v1 savepoint leaves behind: the dead-letter outputs' operators, which had no
        // uid in 0.1 (ids hashed from their place in the graph, which the Adestra sink's keyed sender
        // moved). Every operator with a uid restores: the lists asserted come from their state, and
        // the shared contact 5003 stays only if the holders were rebuilt from it.
        restoreAndContinue(copy.toString(), fixture.equals("stream-v1"));
    }

    @Test
    void aSavepointOfTheCurrentJobRestoresIntoIt() throws Exception {
        Inputs fixture = fixtureInputs();
        Path inputs = dir.resolve("in");
        String savepoint = run(config(inputs, null), inputs, lines(fixture, "1"),
                expectedLists(fixture.contacts(), fixture.events()), dir.resolve("savepoints"));
        SANDBOX.reset();
        restoreAndContinue(Path.of(java.net.URI.create(savepoint)).toString());
    }

    /**
     * Writes a new fixture from the current job. Run by hand, only when adding a fixture version:
     * {@code mvn -pl jobs -am test -Dsurefire.excludedGroups=none -Dgroups=fixture -Dtest=SavepointCompatibilityITCase -Dsurefire.failIfNoSpecifiedTests=false -Dfixture.out=DIR}.
     */
    @Test
    @Tag("fixture")
    void writeFixture() throws Exception {
        Path out = Path.of(System.getProperty("fixture.out", dir.resolve("new-fixture").toString())).toAbsolutePath();
        Inputs fixture = fixtureInputs();
        Path inputs = dir.resolve("in");
        String savepoint = run(config(inputs, null), inputs, lines(fixture, "1"),
                expectedLists(fixture.contacts(), fixture.events()), dir.resolve("savepoints"));
        copyTree(Path.of(java.net.URI.create(savepoint)), out);
        System.out.println("fixture written to " + out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.assertion.AssertionParser;
import dev.audiencemirror.assertion.MembershipAssertion;
import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.parse.ParseResult;
import dev.audiencemirror.sandbox.SandboxExtension;
import dev.audiencemirror.testing.TestConfig;
import java.io.ByteArrayOutputStream;
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
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly run's side of the hand-off, against a streaming job in file mode: the lists the
 * stream activates are not pushed but reach its watched folder as one assertion per user, stamped
 * with the export's as-of time; the rest is pushed as before. What the stream then does with them
 * is {@code StreamAndNightlyOnOneListITCase}'s part.
 */
class NightlyHandoffITCase {
    private static final Instant AS_OF = Instant.parse("2026-12-02T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(2);

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.builder().lists(678, 679, 680).imports("ad0762c9-621f-5695-a380-2e3f04ab2480").build();

    @TempDir
    Path dir;
    private int night;

    @BeforeEach
    void streamConfig() throws Exception {
        SANDBOX.reset();
        Files.writeString(dir.resolve("stream.yaml"), """
                activations: {c1: 678, c2: 679}
                adestra: {max-concurrency: 6}
                taxonomy: {import-id: ad0762c9-621f-5695-a380-2e3f04ab2480}
                inputs: {identities: %1$s/in/ids, events: %1$s/in/events, assertions: %1$s/in/assertions}
                """.formatted(dir));
    }

    /** @param inputs more {@code inputs:} settings */
    private MirrorConfig nightly(String... inputs) {
        return TestConfig.of(SANDBOX, dir)
                .activations("c1: 678, c2: 679, c3: 680")
                .adestra("max-attempts: 3", "max-concurrency: 4") // with the stream's 6: the account's 10
                .taxonomy("import-id: ad0762c9-621f-5695-a380-2e3f04ab2480")
                .inputs("identities: " + dir.resolve("identities.jsonl"), "memberships: " + dir.resolve("memberships.csv"))
                .inputs(inputs)
                .nightly("state-dir: " + dir.resolve("state"), "stream-config: " + dir.resolve("stream.yaml"),
                        "reject-threshold: 0.5")
                .load();
    }

    private void export(List<String> identities, String... memberships) throws Exception {
        Files.write(dir.resolve("identities.jsonl"), identities, StandardCharsets.UTF_8);
        List<String> csv = new ArrayList<>(List.of("user_id,cohort"));
        csv.addAll(List.of(memberships));
        Files.write(dir.resolve("memberships.csv"), csv, StandardCharsets.UTF_8);
    }

    private static String identity(String user, String contact) {
        return "{\"user_id\":\"" + user + "\",\"aliases\":[" + (contact == null ? ""
                : "{\"tag\":\"adestra\",\"id\":\"" + contact + "\",\"priority\":1}") + "],\"time\":\"2026-12-01T10:00:00Z\"}";
    }

    private record Result(JsonNode report, String out) {}

    private Result run(MirrorConfig config, Optional<Instant> asOf) throws Exception {
        return run(config, new NightlyRun.Options(false, false, false, asOf));
    }

    private Result run(MirrorConfig config, NightlyRun.Options options) throws Exception {
        // One night apart, as the exports are.
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:00:00Z").plusSeconds(86400L * night++), ZoneOffset.UTC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunReport report = new NightlyRun(config, options, clock,
                new PrintStream(out, true, StandardCharsets.UTF_8)).execute();
        return new Result(JSON.readTree(report.runDir.resolve("report.json").toFile()),
                out.toString(StandardCharsets.UTF_8) + report.table());
    }

    /** Every assertion in the stream's watched folder, by user; only complete (not hidden) files. */
    private SortedMap<String, List<MembershipAssertion>> handedOver() throws Exception {
        SortedMap<String, List<MembershipAssertion>> out = new TreeMap<>();
        Path folder = dir.resolve("in/assertions");
        if (!Files.isDirectory(folder)) {
            return out;
        }
        AssertionParser parser = new AssertionParser("adestra");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    var r = parser.parse(f.toString(), 1, line);
                    assertThat(r).as(line).isInstanceOf(ParseResult.Ok.class);
                    MembershipAssertion a = ((ParseResult.Ok<MembershipAssertion>) r).value();
                    out.computeIfAbsent(a.userId(), u -> new ArrayList<>()).add(a);
                }
            }
        }
        return out;
    }

    @Test
    void theStreamsListsAreHandedOverAsAssertionsAndTheOthersPushed() throws Exception {
        export(List.of(identity("u1", "4711"), identity("u2", "4712"), identity("u3", null), identity("u4", "4714")),
                "u1,c1", "u1,c3", "u2,c2", "u3,c1", "u5,c2");
        Result r = run(nightly(), Optional.of(AS_OF));

        assertThat(r.report().path("outcome").asText()).as(r.out()).isEqualTo("pushed");
        // The stream's lists get nothing from this run; the nightly-only list is pushed.
        assertThat(SANDBOX.client().contactsByList(678, 679, 680))
                .isEqualTo(new TreeMap<>(Map.of(678L, new java.util.TreeSet<Long>(), 679L, new java.util.TreeSet<Long>(),
                        680L, new java.util.TreeSet<>(List.of(4711L)))));
        SortedMap<String, List<MembershipAssertion>> handed = handedOver();
        assertThat(handed.keySet()).containsExactly("u1", "u2", "u3", "u4", "u5");
        MembershipAssertion u1 = handed.get("u1").get(0);
        assertThat(u1.asOf()).isEqualTo(AS_OF);
        assertThat(u1.cohorts()).isEqualTo(new TreeMap<>(Map.of("c1", true, "c2", false)));
        assertThat(u1.identity().orElseThrow().contactIdFor("adestra")).contains("4711");
        assertThat(u1.identity().orElseThrow().time()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        // An identity without a contact is a statement too (the user lost it); no identity line is none.
        assertThat(handed.get("u3").get(0).identity().orElseThrow().contactIdFor("adestra")).isEmpty();
        assertThat(handed.get("u5").get(0).identity()).isEmpty();
        assertThat(handed.get("u4").get(0).cohorts().values()).containsOnly(false);

        JsonNode h = r.report().path("handoff");
        assertThat(h.path("assertions").asLong()).isEqualTo(5);
        assertThat(h.path("as_of").asText()).isEqualTo(AS_OF.toString());
        assertThat(h.path("cohorts").path("c1").path("in").asLong()).isEqualTo(2);
        assertThat(h.path("cohorts").path("c2").path("list").asLong()).isEqualTo(679);
        assertThat(r.report().path("lists").has("678")).as("no pushed-list row for a list the stream writes").isFalse();
        assertThat(r.out()).contains("handed to the streaming job").contains("folder " + dir.resolve("in/assertions"));
    }

    @Test
    void aUserTheExportNoLongerNamesIsAssertedOutAndAReadFailureAssertsNothing() throws Exception {
        export(List.of(identity("u1", "4711"), identity("u2", "4712"), identity("u3", "4713")), "u1,c1", "u2,c1", "u3,c2");
        run(nightly(), Optional.of(AS_OF));
        Files.walk(dir.resolve("in/assertions")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());

        // u2 gone from the export; u3's identity line cannot be read: held, nothing asserted about u3.
        export(List.of(identity("u1", "4711"), "{\"user_id\":\"u3\",\"aliases\":[{\"tag\":\"adestra\",\"id\":\"x\",\"priority\":1}],"
                + "\"time\":\"2026-12-02T01:00:00Z\"}"), "u1,c1", "u3,c2");
        Result r = run(nightly(), Optional.of(AS_OF.plusSeconds(86400)));

        assertThat(r.report().path("outcome").asText()).as(r.out()).isEqualTo("pushed");
        SortedMap<String, List<MembershipAssertion>> handed = handedOver();
        assertThat(handed.keySet()).containsExactly("u1", "u2");
        assertThat(handed.get("u2").get(0).cohorts()).isEqualTo(new TreeMap<>(Map.of("c1", false, "c2", false)));
        assertThat(handed.get("u2").get(0).identity()).isEmpty();
        assertThat(r.report().path("handoff").path("cohorts").path("c1").path("leaving").asLong()).isEqualTo(1);

        // Held users stay remembered: with u3 readable again and gone from c2 (all of c2: allowed here), it is asserted out.
        Files.walk(dir.resolve("in/assertions")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
        export(List.of(identity("u1", "4711"), identity("u3", "4713")), "u1,c1");
        Result third = run(nightly(), new NightlyRun.Options(false, false, true, Optional.of(AS_OF.plusSeconds(2 * 86400))));
        assertThat(third.report().path("outcome").asText()).as(third.out()).isEqualTo("pushed");
        assertThat(handedOver().get("u3").get(0).cohorts()).isEqualTo(new TreeMap<>(Map.of("c1", false, "c2", false)));
    }

    @Test
    void anExportThatWouldEmptyACohortOfTheStreamsListsIsRefused() throws Exception {
        export(List.of(identity("u1", "4711"), identity("u2", "4712"), identity("u3", "4713")), "u1,c1", "u2,c1", "u3,c1");
        run(nightly(), Optional.of(AS_OF));
        Files.walk(dir.resolve("in/assertions")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());

        export(List.of(identity("u1", "4711"), identity("u2", "4712"), identity("u3", "4713")));
        Result r = run(nightly(), Optional.of(AS_OF.plusSeconds(86400)));
        assertThat(r.report().path("outcome").asText()).isEqualTo("refused");
        assertThat(r.out()).contains("cohort c1 (list 678, written by the streaming job): 3 of its 3 users would be asserted out");
        assertThat(handedOver()).as("nothing handed over").isEmpty();
    }

    @Test
    void theAsOfTimeIsRequiredFromTheFlagOrAFileAndNeverInTheFuture() throws Exception {
        export(List.of(identity("u1", "4711")), "u1,c1");
        Result missing = run(nightly(), Optional.empty());
        assertThat(missing.report().path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(missing.report().path("failure").asText()).contains("as-of time is missing")
                .contains("lists 678, 679 are written by the streaming job").contains("--as-of").contains("inputs.as-of");

        Files.writeString(dir.resolve("as-of.txt"), "2026-12-02T02:00:00Z\n");
        Result fromFile = run(nightly("as-of: " + dir.resolve("as-of.txt")), Optional.empty());
        assertThat(fromFile.report().path("handoff").path("as_of").asText()).isEqualTo("2026-12-02T02:00:00Z");

        Files.writeString(dir.resolve("bad-as-of.txt"), "yesterday");
        Result bad = run(nightly("as-of: " + dir.resolve("bad-as-of.txt")), Optional.empty());
        assertThat(bad.report().path("failure").asText()).contains("inputs.as-of").contains("holds 'yesterday'");

        Result future = run(nightly(), Optional.of(Instant.parse("2026-12-30T00:00:00Z")));
        assertThat(future.report().path("outcome").asText()).isEqualTo("invalid-input");
        assertThat(future.report().path("failure").asText()).contains("--as-of").contains("is in the future");
    }
}

package dev.audiencemirror.assertion;

import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AssertionParserTest {
    private final AssertionParser parser = new AssertionParser("adestra");
    private static final Instant AS_OF = Instant.parse("2026-12-02T02:00:00Z");

    @Test
    void whatTheNightlyRunWritesReadsBackTheSame() {
        MembershipAssertion a = new MembershipAssertion("u1", AS_OF, new TreeMap<>(Map.of("1001", true, "1002", false)),
                Optional.of(MembershipAssertion.identity("u1", "adestra", "4711", Instant.parse("2026-12-01T05:00:00Z"))));
        MembershipAssertion read = assertOk(parser.parse("handoff", 3, a.toJson()));
        assertThat(read).isEqualTo(a);
        assertThat(read.identity().orElseThrow().contactIdFor("adestra")).contains("4711");
    }

    @Test
    void anIdentityWithoutContactAndNoIdentityAtAllAreDifferentStatements() {
        MembershipAssertion lost = new MembershipAssertion("u1", AS_OF, new TreeMap<>(Map.of("1001", false)),
                Optional.of(MembershipAssertion.identity("u1", "adestra", null, AS_OF)));
        assertThat(assertOk(parser.parse("h", 1, lost.toJson())).identity().orElseThrow().contactIdFor("adestra")).isEmpty();
        MembershipAssertion none = new MembershipAssertion("u1", AS_OF, new TreeMap<>(Map.of("1001", false)), Optional.empty());
        assertThat(assertOk(parser.parse("h", 1, none.toJson())).identity()).isEmpty();
    }

    @Test
    void aCohortMustBeTrueOrFalse() {
        assertRejected(parser.parse("h", 1, """
                {"user_id":"u1","as_of":"2026-12-02T02:00:00Z","cohorts":{"1001":"yes"}}"""), "cohorts.1001", "true");
        assertRejected(parser.parse("h", 1, """
                {"user_id":"u1","as_of":"2026-12-02T02:00:00Z","cohorts":{}}"""), "cohorts", "at least one");
    }

    @Test
    void aBadIdentityIsRejectedNamingTheFieldInsideIt() {
        assertRejected(parser.parse("h", 1, """
                {"user_id":"u1","as_of":"2026-12-02T02:00:00Z","cohorts":{"1001":true},
                 "identity":{"user_id":"u1","aliases":[{"tag":"adestra","id":"12ab","priority":0}],"time":"2026-12-01T05:00:00Z"}}"""
                .replace("\n", "")), "identity.aliases[0].id", "");
        assertRejected(parser.parse("h", 1, """
                {"user_id":"u1","as_of":"2026-12-02T02:00:00Z","cohorts":{"1001":true},
                 "identity":{"user_id":"u2","aliases":[],"time":"2026-12-01T05:00:00Z"}}""".replace("\n", "")),
                "identity.user_id", "u1");
        assertRejected(parser.parse("h", 1, """
                {"user_id":"u1","as_of":"02:00","cohorts":{"1001":true}}"""), "as_of", "ISO 8601");
    }
}

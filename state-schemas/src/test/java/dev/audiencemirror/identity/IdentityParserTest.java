package dev.audiencemirror.identity;

import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.parse.ParseError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdentityParserTest {

    private final IdentityParser parser = new IdentityParser("adestra");

    private IdentityRecord ok(String line) {
        return assertOk(parser.parse("identities.jsonl", 1, line));
    }

    @Test
    void readsAUserWithAliases() {
        IdentityRecord r = ok("""
                {"user_id": "u1", "aliases": [{"tag": "email_sha256", "id": "ab12", "priority": 1},
                 {"tag": "adestra", "id": "4711", "priority": 0}], "time": "2026-11-27T05:00:00Z", "extra": true}""");
        assertThat(r.userId()).isEqualTo("u1");
        assertThat(r.aliases()).containsExactly(new Alias("email_sha256", "ab12", 1), new Alias("adestra", "4711", 0));
        assertThat(r.time()).isEqualTo(Instant.parse("2026-11-27T05:00:00Z"));
        assertThat(r.contactIdFor("adestra")).contains("4711");
        assertThat(r.contactIdFor("crm")).isEmpty();
    }

    @Test
    void bytesGiveTheSameRecordAsText() {
        String line = "{\"user_id\":\"u1\",\"aliases\":[],\"time\":\"2026-11-27T05:00:00+01:00\"}";
        assertThat(assertOk(parser.parse("f", 1, line.getBytes(StandardCharsets.UTF_8)))).isEqualTo(ok(line));
        assertThat(ok(line).time()).isEqualTo(Instant.parse("2026-11-27T04:00:00Z"));
    }

    @Test
    void lowestPriorityWinsAndFirstListedOnATie() {
        IdentityRecord r = new IdentityRecord("u", java.util.List.of(
                new Alias("adestra", "30", 5), new Alias("adestra", "10", 1), new Alias("adestra", "20", 1)),
                Instant.EPOCH);
        assertThat(r.contactIdFor("adestra")).contains("10");
    }

    @Test
    void notJson() {
        assertRejected(parser.parse("identities.jsonl", 4, "user_id=u1"), "$", "not valid JSON");
    }

    @Test
    void priorityAsStringIsAWrongType() {
        ParseError e = assertRejected(parser.parse("identities.jsonl", 4, """
                {"user_id":"u1","aliases":[{"tag":"adestra","id":"1","priority":0},{"tag":"x","id":"2","priority":"1"}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[1].priority", "must be an integer, got string \"1\"");
        assertThat(e.message()).startsWith("identities.jsonl:4: aliases[1].priority: ");
    }

    @Test
    void fractionalOrHugePriorityIsRefused() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"x","id":"2","priority":1.5}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].priority", "must be an integer, got number 1.5");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"x","id":"2","priority":99999999999}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].priority", "must be an integer between");
    }

    @Test
    void aliasesNotAnArrayIsAWrongType() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":{"tag":"adestra","id":"1","priority":0},"time":"2026-11-27T05:00:00Z"}"""),
                "aliases", "must be an array, got an object");
    }

    @Test
    void aliasThatIsNotAnObject() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":["adestra:1"],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0]", "must be an object, got string \"adestra:1\"");
    }

    @Test
    void missingRequiredFields() {
        assertRejected(parser.parse("f", 1, """
                {"aliases":[],"time":"2026-11-27T05:00:00Z"}"""), "user_id", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","time":"2026-11-27T05:00:00Z"}"""), "aliases", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[]}"""), "time", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"x","priority":0}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].id", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":null,"aliases":[],"time":"2026-11-27T05:00:00Z"}"""), "user_id", "required field is null");
    }

    @Test
    void emptyAliasId() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"x","id":"2","priority":0},{"tag":"crm","id":"","priority":0}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[1].id", "must not be empty");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"crm","id":"   ","priority":0}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].id", "must not be empty");
    }

    @Test
    void nonNumericAdestraContactId() {
        ParseError e = assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"adestra","id":"jane@example.com","priority":0}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].id", "must be a numeric Adestra contact ID (digits only)");
        assertThat(e.reason()).contains("\"jane@example.com\"").contains("alias tag \"adestra\"");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[{"tag":"adestra","id":"0042","priority":0}],"time":"2026-11-27T05:00:00Z"}"""),
                "aliases[0].id", "without leading zeros");
    }

    @Test
    void numericRuleAppliesOnlyToTheConfiguredTag() {
        String line = """
                {"user_id":"u1","aliases":[{"tag":"adestra","id":"not-a-number","priority":0},{"tag":"esp","id":"77","priority":0}],"time":"2026-11-27T05:00:00Z"}""";
        IdentityRecord r = assertOk(new IdentityParser("esp").parse("f", 1, line));
        assertThat(r.contactIdFor("esp")).contains("77");
        assertRejected(parser.parse("f", 1, line), "aliases[0].id", "numeric Adestra contact ID");
    }

    @Test
    void timestampNotIso8601() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[],"time":"27/11/2026 05:00"}"""),
                "time", "must be an ISO 8601 timestamp with a zone offset, e.g. 2026-11-27T05:00:00Z, got string \"27/11/2026 05:00\"");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[],"time":"2026-11-27T05:00:00"}"""), "time", "ISO 8601 timestamp with a zone offset");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","aliases":[],"time":1764219600}"""), "time", "must be an ISO 8601 timestamp string, got number");
    }
}

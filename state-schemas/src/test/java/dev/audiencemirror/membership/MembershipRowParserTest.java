package dev.audiencemirror.membership;

import static dev.audiencemirror.parse.ParseAssertions.assertIgnored;
import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MembershipRowParserTest {

    private final MembershipRowParser parser = new MembershipRowParser();

    @Test
    void csvRows() {
        assertThat(assertOk(parser.parse("m.csv", 2, "u1,1001"))).isEqualTo(new MembershipRow("u1", "1001"));
        assertThat(assertOk(parser.parse("m.csv", 2, "u1, sports\r"))).isEqualTo(new MembershipRow("u1", "sports"));
        assertThat(assertOk(parser.parse("m.csv", 2, "\"u,1\",\"say \"\"hi\"\"\"")))
                .isEqualTo(new MembershipRow("u,1", "say \"hi\""));
        assertThat(assertOk(parser.parse("m.csv", 2, "u1,1001".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(new MembershipRow("u1", "1001"));
    }

    @Test
    void csvHeaderIsIgnored() {
        assertThat(assertIgnored(parser.parse("m.csv", 1, "user_id,cohort"))).isEqualTo("CSV header line");
        assertIgnored(parser.parse("m.csv", 1, "\"user_id\",\"cohort\""));
    }

    @Test
    void jsonRows() {
        assertThat(assertOk(parser.parse("m.jsonl", 1, "{\"user_id\":\"u1\",\"cohort\":\"sports\"}")))
                .isEqualTo(new MembershipRow("u1", "sports"));
        assertThat(assertOk(parser.parse("m.jsonl", 1, "  {\"user_id\":\"u1\",\"cohort\":1001}")))
                .isEqualTo(new MembershipRow("u1", "1001"));
    }

    @Test
    void badCsv() {
        assertRejected(parser.parse("m.csv", 5, "u1"), "$", "must have 2 comma-separated columns (user_id,cohort), got 1");
        assertRejected(parser.parse("m.csv", 5, "u1,2,3"), "$", "got 3");
        assertRejected(parser.parse("m.csv", 5, "u1,"), "cohort", "must not be empty");
        assertRejected(parser.parse("m.csv", 5, ",1001"), "user_id", "must not be empty");
        assertRejected(parser.parse("m.csv", 5, "u1,\"1001"), "cohort", "quoted value is not closed");
        assertRejected(parser.parse("m.csv", 5, "\"u1\"x,1001"), "user_id", "unexpected text after a quoted value");
    }

    @Test
    void badJson() {
        assertRejected(parser.parse("m.jsonl", 1, "{\"user_id\":\"u1\""), "$", "not valid JSON");
        assertRejected(parser.parse("m.jsonl", 1, "{\"user_id\":\"u1\"}"), "cohort", "required field is missing");
        assertRejected(parser.parse("m.jsonl", 1, "{\"user_id\":[\"u1\"],\"cohort\":1}"), "user_id", "must be a string, got an array");
        assertRejected(parser.parse("m.jsonl", 1, "{\"user_id\":\"u1\",\"cohort\":true}"), "cohort", "must be a whole number or a string, got boolean true");
    }

    @Test
    void overlongLine() {
        assertRejected(parser.parse("m.csv", 1, "u1," + "9".repeat(2 * 1024 * 1024)), "$", "over the 1 MiB limit");
    }
}

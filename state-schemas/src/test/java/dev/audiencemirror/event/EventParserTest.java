package dev.audiencemirror.event;

import static dev.audiencemirror.parse.ParseAssertions.assertIgnored;
import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventParserTest {

    private static final Instant T = Instant.parse("2026-11-27T05:00:00Z");
    private final EventParser parser = new EventParser("adestra");

    @Test
    void segmentEntryByUserWithNumericSegmentId() {
        MembershipEvent e = assertOk(parser.parse("events", 1, """
                {"user_id":"u1","name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1001,"other":1}}"""));
        assertThat(e).isEqualTo(MembershipEvent.forUser("u1", "1001", true, T));
        assertThat(e.byAlias()).isFalse();
    }

    @Test
    void segmentExitByAliasWithStringSegmentId() {
        MembershipEvent e = assertOk(parser.parse("events", 1, """
                {"alias":{"tag":"adestra","id":"4711"},"name":"SegmentExit","time":"2026-11-27T05:00:00.250Z","properties":{"segment_id":"sports"}}"""));
        assertThat(e).isEqualTo(MembershipEvent.forAlias("adestra", "4711", "sports", false, T.plusMillis(250)));
        assertThat(e.byAlias()).isTrue();
    }

    @Test
    void otherEventNamesAreIgnoredWithTheName() {
        String reason = assertIgnored(parser.parse("events", 1, """
                {"user_id":"u1","name":"Pageview","time":"2026-11-27T05:00:00Z","properties":{}}"""));
        assertThat(reason).isEqualTo("event name \"Pageview\" is not SegmentEntry or SegmentExit");
        // Not ours, so not checked further: no rejection for fields only membership events need.
        assertIgnored(parser.parse("events", 1, "{\"name\":\"Pageview\"}"));
    }

    @Test
    void nameMissingOrWrongType() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""), "name", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":7,"time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""), "name", "must be a string, got number 7");
    }

    @Test
    void exactlyOneOfUserIdAndAlias() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","alias":{"tag":"adestra","id":"1"},"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "user_id", "give either user_id or alias, not both");
        assertRejected(parser.parse("f", 1, """
                {"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "user_id", "required field is missing (give user_id or alias {tag, id})");
    }

    @Test
    void userIdWrongType() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":42,"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "user_id", "must be a string, got number 42");
    }

    @Test
    void segmentIdMissingOrWrongType() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{}}"""),
                "properties.segment_id", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":10.5}}"""),
                "properties.segment_id", "must be a whole number or a string, got number 10.5");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentExit","time":"2026-11-27T05:00:00Z","properties":{"segment_id":""}}"""),
                "properties.segment_id", "must not be empty");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentExit","time":"2026-11-27T05:00:00Z","properties":[1001]}"""),
                "properties", "must be an object, got an array");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentExit","time":"2026-11-27T05:00:00Z"}"""),
                "properties", "required field is missing");
    }

    @Test
    void emptyAliasId() {
        assertRejected(parser.parse("f", 1, """
                {"alias":{"tag":"crm","id":""},"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "alias.id", "must not be empty");
        assertRejected(parser.parse("f", 1, """
                {"alias":{"id":"5"},"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "alias.tag", "required field is missing");
        assertRejected(parser.parse("f", 1, """
                {"alias":"adestra:5","name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "alias", "must be an object, got string");
    }

    @Test
    void nonNumericAdestraContactIdInAlias() {
        assertRejected(parser.parse("f", 1, """
                {"alias":{"tag":"adestra","id":"A-17"},"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "alias.id", "must be a numeric Adestra contact ID (digits only), got \"A-17\"");
        assertOk(parser.parse("f", 1, """
                {"alias":{"tag":"crm","id":"A-17"},"name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1}}"""));
    }

    @Test
    void timestampNotIso8601() {
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentEntry","time":"Fri, 27 Nov 2026 05:00:00 GMT","properties":{"segment_id":1}}"""),
                "time", "must be an ISO 8601 timestamp with a zone offset");
        assertRejected(parser.parse("f", 1, """
                {"user_id":"u1","name":"SegmentEntry","time":"2026-13-27T05:00:00Z","properties":{"segment_id":1}}"""),
                "time", "must be an ISO 8601 timestamp");
    }
}

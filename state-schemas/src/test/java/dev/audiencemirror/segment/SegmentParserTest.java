package dev.audiencemirror.segment;

import static dev.audiencemirror.parse.ParseAssertions.assertOk;
import static dev.audiencemirror.parse.ParseAssertions.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentParserTest {

    private final SegmentParser parser = new SegmentParser();

    @Test
    void readsAllFields() {
        SegmentDefinition s = assertOk(parser.parse("segments.jsonl", 1, """
                {"code":"sports","name":"Sports fans","description":"Read sport weekly","cpm":1.25,"categories":["sport","news"]}"""));
        assertThat(s).isEqualTo(new SegmentDefinition("sports", "Sports fans", "Read sport weekly", 1.25, List.of("sport", "news")));
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        assertThat(assertOk(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\"}")))
                .isEqualTo(new SegmentDefinition("c", "n", null, null, null));
        assertThat(assertOk(parser.parse("f", 1,
                        "{\"code\":\"c\",\"name\":\"n\",\"description\":null,\"cpm\":null,\"categories\":null}")))
                .isEqualTo(new SegmentDefinition("c", "n", null, null, null));
        assertThat(assertOk(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\",\"cpm\":2,\"categories\":[]}")))
                .isEqualTo(new SegmentDefinition("c", "n", null, 2.0, List.of()));
    }

    @Test
    void missingRequiredFields() {
        assertRejected(parser.parse("f", 1, "{\"name\":\"!!!\"}"), "code",
                "is missing, and the name \"!!!\" gives none (no letter or digit a-z, 0-9): give the segment a code");
        assertRejected(parser.parse("f", 1, "{\"code\":\"c\"}"), "name", "required field is missing");
        assertRejected(parser.parse("f", 1, "{\"code\":\"\",\"name\":\"n\"}"), "code", "must not be empty");
    }

    @Test
    void wrongTypes() {
        assertRejected(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\",\"cpm\":\"1.5\"}"), "cpm", "must be a number, got string \"1.5\"");
        assertRejected(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\",\"cpm\":-1}"), "cpm", "must be a number of at least 0, got number -1");
        assertRejected(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\",\"categories\":\"sport\"}"), "categories", "must be an array, got string");
        assertRejected(parser.parse("f", 1, "{\"code\":\"c\",\"name\":\"n\",\"categories\":[\"a\",3]}"), "categories[1]", "must be a string, got number 3");
        assertRejected(parser.parse("f", 1, "{\"code\":12,\"name\":\"n\"}"), "code", "must be a string, got number 12");
    }

    @org.junit.jupiter.api.Test
    void withoutACodeTheNameGivesItOneRuleForEveryInput() {
        assertThat(assertOk(parser.parse("f", 1, "{\"name\":\"Sports & Outdoors (UK)\"}")).code()).isEqualTo("sports_outdoors_uk");
        assertThat(assertOk(parser.parse("f", 1, "{\"code\":null,\"name\":\"  Café   Société 2026 \"}")).code())
                .isEqualTo("cafe_societe_2026");
        assertThat(assertOk(parser.parse("f", 1, "{\"code\":\"Given\",\"name\":\"Other Name\"}")).code())
                .as("a code given is kept as it is").isEqualTo("Given");
        assertThat(SegmentCodes.fromName("__a--b__")).isEqualTo("a_b");
        assertThat(SegmentCodes.fromName("日本")).isEmpty();
    }
}

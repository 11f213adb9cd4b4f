package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.event.EventParser;
import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.membership.MembershipRowParser;
import dev.audiencemirror.segment.SegmentParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the JSON Schemas and the hand-written parsers from drifting apart: for each object the
 * schema describes, a complete sample must name exactly the schema's properties, and removing
 * a property must be rejected (naming it) exactly when the schema requires it.
 */
class SchemaContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema(String name) throws IOException {
        try (InputStream in = SchemaContractTest.class.getResourceAsStream("/schemas/" + name)) {
            assertThat(in).as("schema " + name + " on the classpath").isNotNull();
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"identity.schema.json", "event.schema.json", "segment.schema.json", "membership.schema.json",
            "assertion.schema.json"})
    void schemaIsDraft202012AndItsRequiredFieldsAreDescribed(String name) throws IOException {
        JsonNode s = schema(name);
        assertThat(s.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.path("title").asText()).isNotBlank();
        assertThat(s.path("description").asText()).contains("1 MiB");
        List<JsonNode> objects = new ArrayList<>();
        objects.add(s);
        s.path("$defs").forEach(objects::add);
        for (JsonNode o : objects) {
            for (JsonNode r : o.path("required")) {
                assertThat(o.path("properties").has(r.asText()))
                        .as(name + ": required field " + r + " is described under properties")
                        .isTrue();
            }
        }
    }

    @Test
    void identityParserMatchesItsSchema() throws IOException {
        JsonNode s = schema("identity.schema.json");
        String sample = """
                {"user_id":"u1","aliases":[{"tag":"adestra","id":"4711","priority":0}],"time":"2026-11-27T05:00:00Z"}""";
        IdentityParser p = new IdentityParser("adestra");
        check(p, sample, s, "", "", Set.of());
        check(p, sample, s, "/$defs/alias", "aliases[0]", Set.of());
    }

    @Test
    void assertionParserMatchesItsSchema() throws IOException {
        JsonNode s = schema("assertion.schema.json");
        String sample = """
                {"user_id":"u1","as_of":"2026-12-02T02:00:00Z","cohorts":{"1001":true},\
                "identity":{"user_id":"u1","aliases":[],"time":"2026-12-01T05:00:00Z"}}""";
        check(new dev.audiencemirror.assertion.AssertionParser("adestra"), sample, s, "", "", Set.of());
    }

    @Test
    void eventParserMatchesItsSchema() throws IOException {
        JsonNode s = schema("event.schema.json");
        assertThat(oneOfRequired(s)).containsExactly("user_id", "alias");
        // Membership events (the only ones checked) also need what the schema's "then" requires.
        assertThat(s.at("/if/properties/name/enum").toString()).isEqualTo("[\"SegmentEntry\",\"SegmentExit\"]");
        Set<String> thenRequired = names(s.at("/then/required"));
        assertThat(s.at("/then/properties/properties/$ref").asText()).isEqualTo("#/$defs/membershipProperties");

        EventParser p = new EventParser("adestra");
        String byUser = """
                {"user_id":"u1","name":"SegmentEntry","time":"2026-11-27T05:00:00Z","properties":{"segment_id":1001}}""";
        String byAlias = """
                {"alias":{"tag":"adestra","id":"4711"},"name":"SegmentExit","time":"2026-11-27T05:00:00Z","properties":{"segment_id":"1001"}}""";
        check(p, byUser, s, "", "", thenRequired);
        check(p, byAlias, s, "", "", thenRequired);
        check(p, byAlias, s, "/$defs/alias", "alias", Set.of());
        check(p, byUser, s, "/$defs/membershipProperties", "properties", Set.of());
    }

    @Test
    void segmentParserMatchesItsSchema() throws IOException {
        String sample = """
                {"code":"sports","name":"Sports","description":"d","cpm":1.5,"categories":["a"]}""";
        check(new SegmentParser(), sample, schema("segment.schema.json"), "", "", Set.of());
    }

    @Test
    void membershipRowParserMatchesItsSchema() throws IOException {
        check(new MembershipRowParser(), "{\"user_id\":\"u1\",\"cohort\":\"sports\"}",
                schema("membership.schema.json"), "", "", Set.of());
    }

    /**
     * @param pointer where the object's schema is, e.g. {@code /$defs/alias}
     * @param at where that object is in the sample, e.g. {@code aliases[0]}
     * @param alsoRequired names required by a conditional branch that applies to the sample
     */
    private static void check(LineParser<?> parser, String sample, JsonNode schema, String pointer, String at,
            Set<String> alsoRequired) throws IOException {
        JsonNode objectSchema = schema.at(pointer);
        assertThat(objectSchema.isMissingNode()).as(pointer).isFalse();
        Set<String> properties = new TreeSet<>();
        objectSchema.path("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> required = names(objectSchema.path("required"));
        required.addAll(alsoRequired);
        Set<String> oneOf = oneOfRequired(objectSchema);

        assertThat(ParseAssertions.assertOk(parser.parse("sample", 1, sample))).isNotNull();
        ObjectNode sampleObject = (ObjectNode) navigate(JSON.readTree(sample), at);
        Set<String> present = new TreeSet<>();
        sampleObject.fieldNames().forEachRemaining(present::add);
        assertThat(properties).as("sample fields must be documented at " + pointer).containsAll(present);
        Set<String> absent = new TreeSet<>(properties);
        absent.removeAll(present);
        assertThat(oneOf).as("the sample must be complete at " + pointer + " (only one-of fields may be absent)")
                .containsAll(absent);

        for (String name : present) {
            JsonNode line = JSON.readTree(sample);
            ((ObjectNode) navigate(line, at)).remove(name);
            ParseResult<?> result = parser.parse("sample", 1, line.toString());
            String path = at.isEmpty() ? name : at + "." + name;
            if (required.contains(name)) {
                ParseError e = ParseAssertions.assertRejected(result, path, "required field is missing");
                assertThat(e.message()).as("schema requires " + path).contains(name);
            } else if (oneOf.contains(name)) {
                assertThat(result).as("schema requires one of " + oneOf).isInstanceOf(ParseResult.Rejected.class);
                assertThat(((ParseResult.Rejected<?>) result).error().message())
                        .contains("required field is missing")
                        .contains(oneOf);
            } else {
                assertThat(result).as("schema says " + path + " is optional").isInstanceOf(ParseResult.Ok.class);
            }
        }
    }

    private static Set<String> oneOfRequired(JsonNode objectSchema) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode alternative : objectSchema.path("oneOf")) {
            out.addAll(names(alternative.path("required")));
        }
        return out;
    }

    private static Set<String> names(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            out.add(it.next().asText());
        }
        return out;
    }

    /** Follows {@code a.b[0].c} into a JSON tree. */
    private static JsonNode navigate(JsonNode node, String path) {
        if (path.isEmpty()) {
            return node;
        }
        for (String step : path.split("\\.")) {
            int bracket = step.indexOf('[');
            if (bracket < 0) {
                node = node.get(step);
            } else {
                node = node.get(step.substring(0, bracket))
                        .get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
            }
        }
        return node;
    }
}

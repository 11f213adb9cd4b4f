package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DeadLetterSerializerTest {

    @Test
    void roundTripsAndRefusesUnknownVersions() throws Exception {
        DeadLetter d = new DeadLetter("adestra", "contact=12 list=678", "{\"action\":\"ADD\"}", 404, "list not found ü", 1, 1_700_000_000_000L);
        byte[] bytes = DeadLetterSerializer.INSTANCE.serialize(d);

        assertThat(DeadLetterSerializer.INSTANCE.deserialize(DeadLetterSerializer.INSTANCE.getVersion(), bytes)).isEqualTo(d);
        assertThatThrownBy(() -> DeadLetterSerializer.INSTANCE.deserialize(99, bytes)).hasMessageContaining("version 99");
    }

    @Test
    void theFrozenVersion1LayoutIsStillRead() throws Exception {
        // Version 1, as 0.1 and 0.2 checkpoints hold it: length-prefixed UTF-8 strings.
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        Utf8.write(out, "adestra");
        Utf8.write(out, "contact=12 list=678");
        Utf8.write(out, "{}");
        out.writeInt(404);
        Utf8.write(out, "list not found ü");
        out.writeInt(2);
        out.writeLong(5);
        assertThat(DeadLetterSerializer.INSTANCE.deserialize(1, out.getCopyOfBuffer()))
                .isEqualTo(new DeadLetter("adestra", "contact=12 list=678", "{}", 404, "list not found ü", 2, 5));
    }

    @Test
    void longReasonsAreTruncatedAndJsonKeepsTheOperationStructured() throws Exception {
        DeadLetter d = new DeadLetter("taxonomy", "code=x", "{\"operation\":\"Delete\",\"code\":\"x\"}", 0, "x".repeat(5000), 3, 0);
        assertThat(d.reason()).hasSize(DeadLetter.MAX_REASON_CHARS + 1);

        var json = new ObjectMapper().readTree(d.toJson());
        assertThat(json.get("operation").get("operation").asText()).isEqualTo("Delete");
        assertThat(json.get("status").asInt()).isZero();
        assertThat(json.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
    }
}

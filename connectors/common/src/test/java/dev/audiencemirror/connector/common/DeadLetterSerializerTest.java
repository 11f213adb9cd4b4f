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

        assertThat(DeadLetterSerializer.INSTANCE.deserialize(1, bytes)).isEqualTo(d);
        assertThatThrownBy(() -> DeadLetterSerializer.INSTANCE.deserialize(2, bytes)).hasMessageContaining("version 2");
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

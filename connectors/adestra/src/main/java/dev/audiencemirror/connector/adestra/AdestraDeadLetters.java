package dev.audiencemirror.connector.adestra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.io.IOException;
import org.apache.flink.annotation.PublicEvolving;

/** Reads back the dead letters this sink writes: which operation Adestra refused. */
@PublicEvolving
public final class AdestraDeadLetters {
    /** The {@link DeadLetter#destination()} of this sink's letters. */
    public static final String DESTINATION = "adestra";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdestraDeadLetters() {}

    public static boolean isFrom(DeadLetter letter) {
        return DESTINATION.equals(letter.destination());
    }

    /** The refused operation, as {@link ListOperationRequestConverter#describe} wrote it. */
    public static ListOperation operation(DeadLetter letter) {
        if (!isFrom(letter)) {
            throw new IllegalArgumentException("not an Adestra dead letter: " + letter.destination());
        }
        try {
            JsonNode n = JSON.readTree(letter.operation());
            return new ListOperation(n.get("contact_id").asText(), n.get("list_id").asLong(),
                    ListAction.valueOf(n.get("action").asText()), n.path("event_time").asLong(), n.path("version").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable Adestra dead letter " + letter.key() + ": " + e.getMessage(), e);
        }
    }
}

package dev.audiencemirror.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.time.Instant;
import java.util.Optional;

/**
 * One Adestra record of a dead-letter output, as {@link DeadLetter#toJson()} wrote it: a refusal,
 * or (status 2xx) a note that a newer operation of the key was applied.
 *
 * @param position where it was read, for messages ({@code file:line} or {@code topic/partition:offset})
 */
record Letter(String key, ListOperation operation, String operationJson, int status, String reason, long timeMillis,
        String position, String rawJson) {
    private static final ObjectMapper JSON = new ObjectMapper();

    boolean isAppliedNote() {
        return status >= 200 && status <= 299;
    }

    /** The Adestra letter in {@code line}, or empty for another destination's or an unreadable line. */
    static Optional<Letter> parse(String line, String position) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !"adestra".equals(n.path("destination").asText())) {
                return Optional.empty();
            }
            JsonNode op = n.path("operation");
            ListOperation operation = new ListOperation(op.path("contact_id").asText(), op.path("list_id").asLong(),
                    ListAction.valueOf(op.path("action").asText()), op.path("event_time").asLong(),
                    op.path("version").asLong());
            return Optional.of(new Letter(n.path("key").asText(), operation, op.toString(), n.path("status").asInt(),
                    n.path("reason").asText(), Instant.parse(n.path("time").asText()).toEpochMilli(), position, line));
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }
}

package dev.audiencemirror.connector.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.flink.annotation.PublicEvolving;

/**
 * An operation a destination would not take, with why: what the jobs write to their dead-letter
 * file or topic. Nothing is dropped silently; everything needed to replay or investigate is here.
 *
 * <p>A record of plain fields so that Flink serializes it as a POJO without Kryo.
 *
 * @param destination {@code adestra} or {@code taxonomy}
 * @param key what the operation is about, e.g. {@code contact=123 list=678} or {@code code=sports}
 * @param operation the operation as JSON, as it would have been sent
 * @param status the HTTP status of the last answer, 0 when there was none (timeout, dropped);
 *     a 2xx status marks not a refusal but a {@linkplain #applied note}: a newer operation on
 *     the key was applied, so the key's earlier dead letters must not be sent again
 * @param reason the response text or the failure, truncated
 * @param attempts how many times it was sent
 * @param timeMillis when it was given up, epoch millis
 */
@PublicEvolving
public record DeadLetter(
        String destination, String key, String operation, int status, String reason, int attempts, long timeMillis) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough of a response body to diagnose; an HTML error page is not kept whole. */
    public static final int MAX_REASON_CHARS = 1000;

    public DeadLetter {
        reason = truncate(reason);
    }

    /**
     * A note for the dead-letter output that {@code operation}, newer than the key's earlier dead
     * letters, was applied with {@code status} (2xx): {@code redrive} skips those letters.
     */
    public static DeadLetter applied(String destination, String key, String operation, int status, String by,
            long timeMillis) {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("an applied note needs a 2xx status, was " + status);
        }
        return new DeadLetter(destination, key, operation, status,
                "applied by " + by + ": earlier dead letters of this key are superseded", 1, timeMillis);
    }

    /** Whether this is an {@link #applied} note rather than a refusal. */
    public boolean isAppliedNote() {
        return isAppliedNote(status);
    }

    /** Whether a letter with {@code status} is an applied note (2xx) rather than a refusal. */
    public static boolean isAppliedNote(int status) {
        return status >= 200 && status <= 299;
    }

    public static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
    }

    /** Reads back one line of {@link #toJson()}, for a run that acts on its dead letters. */
    public static DeadLetter fromJson(String line) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(line);
            com.fasterxml.jackson.databind.JsonNode op = n.path("operation");
            return new DeadLetter(n.path("destination").asText(), n.path("key").asText(),
                    op.isTextual() ? op.asText() : op.toString(), n.path("status").asInt(), n.path("reason").asText(),
                    n.path("attempts").asInt(), n.hasNonNull("time") ? Instant.parse(n.get("time").asText()).toEpochMilli() : 0);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a dead-letter line (" + e.getMessage() + ")", e);
        }
    }

    /** One JSON line for a dead-letter file or topic. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("destination", destination);
        n.put("key", key);
        try {
            n.set("operation", JSON.readTree(operation));
        } catch (Exception notJson) {
            n.put("operation", operation);
        }
        n.put("status", status);
        n.put("reason", reason);
        n.put("attempts", attempts);
        n.put("time", Instant.ofEpochMilli(timeMillis).toString());
        return n.toString();
    }
}

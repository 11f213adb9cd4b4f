package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import java.io.IOException;
import org.apache.flink.annotation.PublicEvolving;

/** Reads back the dead letters this sink writes: which segment row the Taxonomy API refused. */
@PublicEvolving
public final class TaxonomyDeadLetters {
    /** The {@link DeadLetter#destination()} of this sink's letters. */
    public static final String DESTINATION = "taxonomy";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A refused row: its action, segment code, import and version. */
    public record RefusedRow(TaxonomyAction action, String code, String importId, long version) {}

    private TaxonomyDeadLetters() {}

    public static boolean isFrom(DeadLetter letter) {
        return DESTINATION.equals(letter.destination());
    }

    /** The refused row, as {@link SegmentBatchRequestConverter#describe} wrote it ({@code {"import","version","item"}}). */
    public static RefusedRow row(DeadLetter letter) {
        if (!isFrom(letter)) {
            throw new IllegalArgumentException("not a Taxonomy dead letter: " + letter.destination());
        }
        try {
            JsonNode n = JSON.readTree(letter.operation());
            JsonNode item = n.get("item");
            String apiName = item.get("operation").asText();
            TaxonomyAction action = null;
            for (TaxonomyAction a : TaxonomyAction.values()) {
                if (a.apiName().equals(apiName)) {
                    action = a;
                }
            }
            if (action == null) {
                throw new IllegalArgumentException("unknown operation " + apiName);
            }
            String code = item.hasNonNull("code") ? item.get("code").asText() : item.path("data").path("code").asText();
            return new RefusedRow(action, code, n.path("import").asText(), n.path("version").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable Taxonomy dead letter " + letter.key() + ": " + e.getMessage(), e);
        }
    }
}

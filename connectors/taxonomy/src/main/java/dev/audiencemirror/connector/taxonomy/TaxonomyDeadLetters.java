package dev.audiencemirror.connector.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The refused operation whole, segment included, to be sent again. An Update's item carries
     * absent fields as empty values ({@code ""}, {@code 0}, {@code []}); they are read back as
     * absent, so that the operation planned anew as a Create does not create them.
     */
    public static TaxonomyOperation operation(DeadLetter letter) {
        RefusedRow row = row(letter);
        if (row.action() == TaxonomyAction.DELETE) {
            return TaxonomyOperation.delete(row.code(), row.version());
        }
        try {
            JsonNode data = JSON.readTree(letter.operation()).path("item").path("data");
            String description = data.hasNonNull("description") && !data.get("description").asText().isEmpty()
                    ? data.get("description").asText() : null;
            Double cpm = data.hasNonNull("cpm") && data.get("cpm").asDouble() != 0.0 ? data.get("cpm").asDouble() : null;
            List<String> categories = null;
            if (data.path("categories").isArray() && !data.get("categories").isEmpty()) {
                categories = new ArrayList<>();
                for (JsonNode c : data.get("categories")) {
                    categories.add(c.asText());
                }
            }
            SegmentDefinition d = new SegmentDefinition(row.code(), data.path("name").asText(), description, cpm, categories);
            return row.action() == TaxonomyAction.CREATE ? TaxonomyOperation.create(d, row.version())
                    : TaxonomyOperation.update(d, row.version());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable Taxonomy dead letter " + letter.key() + ": " + e.getMessage(), e);
        }
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

package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.audiencemirror.files.NumberedLine;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads the keys whose state on the destination is unknown: the plan lines of unfinished pushes
 * ({@link PushJournal}) and of the last snapshot's uncertain part, and the corrections lines that
 * versions before the journal wrote ({@code {"type":"pair"|"segment",…}}), which are taken as
 * uncertain too. Pairs go out as {@link ContactFlags#UNCERTAIN}, segment codes to {@link #SEGMENTS}.
 */
final class UncertainKeys extends ProcessFunction<NumberedLine, ContactFlags> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<SegmentInput> SEGMENTS = new OutputTag<>("uncertain-segments", TypeInformation.of(SegmentInput.class));

    @Override
    public void processElement(NumberedLine line, Context ctx, Collector<ContactFlags> out) {
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return;
        }
        JsonNode n = PlannedOperation.tree(text);
        if (n.has("type")) {
            switch (n.get("type").asText()) {
                case "pair" -> out.collect(ContactFlags.of(n.get("contact_id").asText(), n.get("list_id").asLong(), ContactFlags.UNCERTAIN));
                case "segment" -> ctx.output(SEGMENTS, SegmentInput.uncertain(n.get("code").asText()));
                default -> throw new IllegalArgumentException("unknown correction line in " + line.source() + ": " + text);
            }
            return;
        }
        PlannedOperation op = PlannedOperation.decode(text);
        if (op instanceof PlannedOperation.ListOp l) {
            out.collect(ContactFlags.of(l.contactId(), l.listId(), ContactFlags.UNCERTAIN));
        } else if (op instanceof PlannedOperation.SegmentOp s) {
            ctx.output(SEGMENTS, SegmentInput.uncertain(s.code()));
        }
    }
}

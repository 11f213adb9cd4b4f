package dev.audiencemirror.stream;

import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseResult;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.segment.SegmentParser;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Records of the compacted segment-definition topic to what they ask of the taxonomy: a
 * definition to be there as given (an {@code UPDATE}, which {@link SegmentChanges} turns into a
 * create when the code is new), a tombstone to be gone ({@code DELETE}). The version is the
 * record's offset. Bad records go to {@link ParseRecords#REJECTS} like every input's, counted in
 * {@code input.segments}.
 */
final class ParseSegments extends ProcessFunction<SegmentRecord, TaxonomyOperation> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    private final SegmentParser parser = new SegmentParser();
    private transient InputCounters counters;

    @Override
    public void open(OpenContext context) {
        counters = new InputCounters(getRuntimeContext(), "segments");
    }

    @Override
    public void processElement(SegmentRecord record, Context ctx, Collector<TaxonomyOperation> out) {
        counters.record();
        if (record.isTombstone()) {
            if (record.key() == null || record.key().isBlank()) {
                reject(ctx, record, "key", "a tombstone (a record without a value) needs the segment code as its key");
            } else {
                out.collect(TaxonomyOperation.delete(record.key(), record.offset()));
            }
            return;
        }
        ParseResult<SegmentDefinition> result = parser.parse(record.source(), record.offset(), record.value());
        if (result instanceof ParseResult.Ok<SegmentDefinition> ok) {
            SegmentDefinition definition = ok.value();
            if (record.key() != null && !record.key().equals(definition.code())) {
                // Compaction keeps the last record per key: a key other than the code would let
                // compaction drop a live definition, or keep a deleted one.
                reject(ctx, record, "code", "\"" + definition.code() + "\" differs from the record key \""
                        + record.key() + "\": the topic is compacted by key, so the key must be the code");
            } else {
                out.collect(TaxonomyOperation.update(definition, record.offset()));
            }
        } else if (result instanceof ParseResult.Rejected<SegmentDefinition> r) {
            counters.rejected();
            ctx.output(ParseRecords.REJECTS, r.error());
        } else {
            counters.ignored();
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        counters.checkpointCompleted(checkpointId);
    }

    private void reject(Context ctx, SegmentRecord record, String field, String reason) {
        counters.rejected();
        String raw = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        ctx.output(ParseRecords.REJECTS, new ParseError(record.source(), record.offset(), field, reason, raw));
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.config.SyncMode;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.taxonomyop.TaxonomyAction;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per segment code: what the taxonomy import should be asked to do, given the definition last
 * sent. A new code is created, a changed definition updated, an unchanged one (a definition
 * produced again, or read again after the consumer group was reset) sends nothing, and a
 * tombstone deletes, each as the taxonomy sync mode allows. The sink turns a create that meets
 * an existing code into an update and an update of a missing code into a create, so a first start
 * against an import the nightly run already filled converges too.
 *
 * <p>State: the definition last sent per code ({@value #STATE}; never renamed: savepoints).
 */
final class SegmentChanges extends KeyedProcessFunction<String, TaxonomyOperation, TaxonomyOperation> {
    private static final long serialVersionUID = 1L;
    static final String STATE = "definition";

    private final SyncMode mode;
    private transient ValueState<SegmentDefinition> sent;

    SegmentChanges(SyncMode mode) {
        this.mode = mode;
    }

    @Override
    public void open(OpenContext context) {
        sent = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE, TypeInformation.of(SegmentDefinition.class)));
    }

    @Override
    public void processElement(TaxonomyOperation op, Context ctx, Collector<TaxonomyOperation> out) throws Exception {
        SegmentDefinition before = sent.value();
        if (op.action() == TaxonomyAction.DELETE) {
            // Deleted even when this job never saw the code: the nightly run may have created it.
            if (mode.removes()) {
                out.collect(op);
                sent.clear();
            }
            return;
        }
        SegmentDefinition after = op.data();
        if (before == null) {
            if (mode.adds()) {
                out.collect(TaxonomyOperation.create(after, op.version()));
                sent.update(after);
            }
        } else if (!before.equals(after) && mode.updates()) {
            out.collect(op);
            sent.update(after);
        }
    }
}

package dev.audiencemirror.nightly;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Merges consecutive records of one contact before the diff's shuffle. The snapshot's pairs are
 * written a contact at a time, so its lines come back as one record per contact instead of one
 * per pair; records in any other order pass through as they are, so the result never depends on
 * the order, only the shuffle's size does.
 */
final class ContactFlagsCombiner extends AbstractStreamOperator<ContactFlags>
        implements OneInputStreamOperator<ContactFlags, ContactFlags>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private transient ContactFlags pending;

    @Override
    public void processElement(StreamRecord<ContactFlags> element) {
        ContactFlags next = element.getValue();
        if (pending != null && pending.contactId().equals(next.contactId())) {
            pending = pending.merge(next);
            return;
        }
        flush();
        pending = next;
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (pending != null) {
            output.collect(new StreamRecord<>(pending));
            pending = null;
        }
    }
}

package dev.audiencemirror.nightly;

import java.io.Serializable;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Merges consecutive records that go together (of one contact, of one user) before a shuffle, so
 * an input written a key at a time crosses it as one record per key. Records in any other order
 * pass through as they are: the merge downstream gives the same result either way, only the
 * shuffle's size depends on the order.
 */
final class ConsecutiveMerge<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** How two records merge. */
    @FunctionalInterface
    interface Rule<T> extends Serializable {
        /** {@code pending} and {@code next} as one record, or null when they do not go together. */
        T merge(T pending, T next);
    }

    private final Rule<T> rule;
    private transient T pending;

    ConsecutiveMerge(Rule<T> rule) {
        this.rule = rule;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        T next = element.getValue();
        if (pending != null) {
            T merged = rule.merge(pending, next);
            if (merged != null) {
                pending = merged;
                return;
            }
            output.collect(new StreamRecord<>(pending));
        }
        pending = next;
    }

    @Override
    public void endInput() {
        if (pending != null) {
            output.collect(new StreamRecord<>(pending));
            pending = null;
        }
    }
}

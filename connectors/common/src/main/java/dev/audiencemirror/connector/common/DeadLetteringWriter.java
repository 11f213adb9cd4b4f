package dev.audiencemirror.connector.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * The writer side of {@link DeadLetteringSink}: dead letters collected since the last checkpoint
 * are handed over as committables, so they reach the dead-letter sink only once that checkpoint
 * completes. A subclass calls {@link #addDeadLetter(DeadLetter)} from the task thread.
 */
@Internal
public abstract class DeadLetteringWriter<InputT, StateT>
        implements StatefulSinkWriter<InputT, StateT>, CommittingSinkWriter<InputT, DeadLetter> {

    private List<DeadLetter> deadLetters = new ArrayList<>();

    protected final void addDeadLetter(DeadLetter letter) {
        deadLetters.add(letter);
    }

    @Override
    public final Collection<DeadLetter> prepareCommit() {
        List<DeadLetter> out = deadLetters;
        deadLetters = new ArrayList<>();
        return out;
    }

    @Override
    public void close() {
        // JDK 17's HttpClient has no close(): its connections and selector thread end when it is
        // no longer referenced.
    }
}

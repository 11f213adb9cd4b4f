package dev.audiencemirror.connector.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The settle rule's memory, per key (a (contact, list), a segment code): the calls whose fate is
 * unknown (no answer, a 5xx, or left open by a failed attempt), each of which may still take effect
 * until the settle delay after it was sent, and a restore's fence. A sender asks
 * {@link #mayBeUndone} when an operation is finished: if yes, it sends that operation once more
 * when the settle delay is over. The connectors' READMEs ("Late applies") argue why that repairs
 * every late apply; this class only remembers and answers.
 *
 * <p>Not thread-safe: a sender uses it from its task's mailbox thread only.
 *
 * @param <K> the key an API orders its changes by
 */
@Internal
public final class UncertainCalls<K> {
    /** A call of {@code version} that may take effect until {@code untilNanos}. */
    private record Call(long version, long untilNanos) {}

    private final long settleNanos;
    private final Map<K, List<Call>> calls = new HashMap<>();
    /** Finished before this instant counts as undoable, for any key (a restore's fence). */
    private long fenceUntilNanos = Long.MIN_VALUE;
    private int checks;

    /** @param settleNanos the settle delay; 0 remembers nothing, and nothing is ever undoable */
    public UncertainCalls(long settleNanos) {
        this.settleNanos = settleNanos;
    }

    /** A call of {@code version} sent at {@code sentNanos} got no certain answer. */
    public void fateUnknown(K key, long version, long sentNanos) {
        mayLandUntil(key, version, sentNanos + settleNanos);
    }

    /** {@code key}'s work was restored: the failed attempt may still have any older call of it open. */
    public void restored(K key, long nowNanos) {
        mayLandUntil(key, Long.MIN_VALUE, nowNanos + settleNanos);
    }

    /**
     * After a failover: whatever is sent before {@code untilNanos} may be undone, for any key,
     * because the failed attempt may have had a call open with keys not in its checkpoint too.
     */
    public void fenceUntil(long untilNanos) {
        if (settleNanos > 0) {
            fenceUntilNanos = untilNanos;
        }
    }

    /**
     * Whether an operation of {@code version} whose call went out at {@code sentNanos} may be undone
     * by an older call of its key that lands after it, or went out inside the fence.
     */
    public boolean mayBeUndone(K key, long version, long sentNanos, long nowNanos) {
        boolean undoable = sentNanos < fenceUntilNanos || olderMayLandAfter(key, version, sentNanos);
        // Only after the check: a call that landed between sentNanos and now still counts for it.
        if ((++checks & 1023) == 0) {
            forgetLanded(nowNanos);
        }
        return undoable;
    }

    private void mayLandUntil(K key, long version, long untilNanos) {
        if (settleNanos > 0) {
            calls.computeIfAbsent(key, k -> new ArrayList<>(2)).add(new Call(version, untilNanos));
        }
    }

    /** Calls that have landed by {@code sentNanos} are forgotten: later calls of the key go out later still. */
    private boolean olderMayLandAfter(K key, long version, long sentNanos) {
        List<Call> open = calls.get(key);
        if (open == null) {
            return false;
        }
        open.removeIf(c -> c.untilNanos() <= sentNanos);
        if (open.isEmpty()) {
            calls.remove(key);
            return false;
        }
        return open.stream().anyMatch(c -> c.version() < version);
    }

    /** For keys that get no more work. */
    private void forgetLanded(long nowNanos) {
        calls.values().removeIf(open -> {
            open.removeIf(c -> c.untilNanos() <= nowNanos);
            return open.isEmpty();
        });
    }
}

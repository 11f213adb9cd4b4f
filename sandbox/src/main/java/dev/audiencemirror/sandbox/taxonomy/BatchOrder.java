package dev.audiencemirror.sandbox.taxonomy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order in which a batch's operations are applied: shuffled by (seed, batch number), because the
 * real API does not promise any order, and the same for the same seed so that a run can be replayed.
 */
final class BatchOrder {

    private final long seed;
    private final AtomicLong batches = new AtomicLong();

    BatchOrder(long seed) {
        this.seed = seed;
    }

    /** Restarts the batch counter that seeds the shuffles. */
    void reset() {
        batches.set(0);
    }

    /** 0..n-1 shuffled for the next batch. */
    List<Integer> next(int n) {
        return shuffled(n, batches.incrementAndGet());
    }

    /**
     * SplittableRandom, not java.util.Random: the first draws of Randoms with consecutive seeds are
     * correlated, which left two-operation batches unshuffled.
     */
    private List<Integer> shuffled(int n, long batch) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.asList(order);
    }
}

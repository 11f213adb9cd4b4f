package dev.audiencemirror.nightly;

import java.util.Objects;

/**
 * One segment code's definition today and as last synced, each as canonical JSON or null when
 * absent; the diff merges the two sides of one code.
 */
public record SegmentSides(String code, String today, String synced) {

    SegmentSides merge(SegmentSides other) {
        return new SegmentSides(code, today != null ? today : other.today, synced != null ? synced : other.synced);
    }

    boolean changed() {
        return !Objects.equals(today, synced);
    }
}

package dev.audiencemirror.stream;

/**
 * One record of the segment-definition topic, raw. The topic is compacted and keyed by segment
 * code, so a record without a value (a tombstone) means the segment is gone, and the key is all
 * there is to say which.
 *
 * @param source where it came from, {@code kafka:topic/partition}
 * @param offset its offset in that partition: the version of the code's operations (a code always
 *     lives in one partition, so offsets order its changes)
 * @param key the record key (the segment code), or null
 * @param value the JSON definition, or null for a tombstone
 */
public record SegmentRecord(String source, long offset, String key, byte[] value) {

    public boolean isTombstone() {
        return value == null;
    }
}

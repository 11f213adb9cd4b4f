package dev.audiencemirror.identity;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An identity record with where it was read: the streaming job breaks a tie in event time by
 * input position (the record later in its input wins), so the position travels with the record.
 *
 * @param source the input's label: a file name, or {@code kafka:topic/partition}
 * @param position the 1-based line number in the file, or the Kafka offset
 */
@TypeInfo(PositionedIdentityTypeInfoFactory.class)
public record PositionedIdentity(IdentityRecord record, String source, long position) {
    public PositionedIdentity {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(source, "source");
    }
}

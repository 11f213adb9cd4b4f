package dev.audiencemirror.sandbox.taxonomy;

import java.util.function.UnaryOperator;

/**
 * One validated item of a PATCH batch.
 *
 * @param index   position in the request's {@code operations} array
 * @param created for Create: the new segment
 * @param update  for Update: turns the stored segment into the updated one
 */
public record SegmentOperation(int index, Kind kind, String code, Segment created, UnaryOperator<Segment> update) {

    public enum Kind { CREATE, UPDATE, DELETE }
}

package dev.audiencemirror.sandbox.taxonomy;

import java.util.List;

/**
 * What a batch did.
 *
 * @param items  the created or updated segments, in request order
 * @param errors rows that failed, in request order
 */
public record BatchOutcome(List<Segment> items, List<RowError> errors, int created, int updated, int deleted) {}

package dev.audiencemirror.sandbox.taxonomy;

/** A row of a batch that failed on its own (404 / 409) while the other rows were applied. */
public record RowError(int index, String code, int status, String message) {}

package dev.audiencemirror.files;

/**
 * A text line for one folder of a {@link TaggedLinesSink}: one sink per operator writes all the
 * operator's outputs, each to its folder, instead of one sink (and one more data exchange to its
 * committer) per output. Plain fields: Flink serializes it as a POJO.
 *
 * @param folder the folder under the sink's root, e.g. {@code plan/list-ops}
 */
public record TaggedLine(String folder, String line) {}

package dev.audiencemirror.files;

/**
 * One line of an input file with where it came from, so a rejected line can be reported as
 * {@code file:line}. Plain fields: Flink serializes it as a POJO.
 *
 * @param source the file's name
 * @param number 1-based line number
 * @param bytes the line without its line break (at most 1 MiB + 1 byte: longer lines are cut and
 *     then rejected by the parsers)
 */
public record NumberedLine(String source, long number, byte[] bytes) {}

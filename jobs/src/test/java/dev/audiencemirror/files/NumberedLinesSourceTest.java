package dev.audiencemirror.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.connector.common.testing.MiniClusters;
import dev.audiencemirror.parse.LineParser;
import dev.audiencemirror.parse.LineReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file cut into many ranges and read by several readers gives exactly the lines, numbers and
 * bytes that one {@link LineReader} over the whole file gives: random content per seed (empty
 * lines, CRLF, no final line break, a line over the length limit), random range sizes.
 */
class NumberedLinesSourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(3);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void aFileCutIntoRangesReadsAsTheWholeFile(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] content = randomLines(r, 2_000 + r.nextInt(6_000), seed % 3 == 0);
        Path file = dir.resolve("input-" + seed + ".txt");
        Files.write(file, content);
        long splitBytes = 1 + r.nextInt(20_000);

        Collection<FileSourceSplit> splits = new LineRangeEnumerator(splitBytes).enumerateSplits(new org.apache.flink.core.fs.Path[] {
                flinkPath(file)}, 3);
        assertRangesTileTheFile(splits, content);
        if (content.length > 4 * splitBytes && seed % 3 != 0) {
            assertThat(splits).as("ranges of %d bytes in %d", splitBytes, content.length).hasSizeGreaterThan(2);
        }

        assertThat(readWithFlink(MemorySize.parse(splitBytes + "b"), flinkPath(file)))
                .containsExactlyElementsOf(expected(file.getFileName().toString(), content));
    }

    @Test
    void aFolderOfPartsAndACompressedFileKeepTheirOwnNumbers() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        Path folder = Files.createDirectories(dir.resolve("export"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] part = randomLines(r, 3_000, false);
            Files.write(folder.resolve("part-" + i + ".jsonl"), part);
            expected.addAll(expected("part-" + i + ".jsonl", part));
        }
        byte[] zipped = randomLines(r, 3_000, false);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(folder.resolve("part-3.jsonl.gz")))) {
            out.write(zipped);
        }
        expected.addAll(expected("part-3.jsonl.gz", zipped));
        Files.writeString(folder.resolve(".hidden"), "not an input\n");

        assertThat(readWithFlink(MemorySize.parse("4kb"), flinkPath(folder))).containsExactlyElementsOf(expected.stream().sorted().toList());
    }

    @Test
    void aSplitSurvivesItsSerializer() throws Exception {
        LineRangeSplit split = new LineRangeSplit("0000a", new org.apache.flink.core.fs.Path("file:/tmp/x.csv"), 4096, 8192, 17, 100_000,
                312, new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 45));
        LineRangeSplit back = LineRangeSplitSerializer.INSTANCE.deserialize(LineRangeSplitSerializer.INSTANCE.getVersion(),
                LineRangeSplitSerializer.INSTANCE.serialize(split));
        assertThat(back.toString()).isEqualTo(split.toString());
        assertThat(back.firstLine()).isEqualTo(312);
        assertThat(back.splitId()).isEqualTo("0000a");
        assertThat(back.fileModificationTime()).isEqualTo(17);
    }

    /** Ranges are contiguous, begin at a line start, and number their first line as the file does. */
    private static void assertRangesTileTheFile(Collection<FileSourceSplit> splits, byte[] content) {
        List<LineRangeSplit> ranges = new ArrayList<>();
        splits.forEach(s -> ranges.add((LineRangeSplit) s));
        ranges.sort(java.util.Comparator.comparingLong(LineRangeSplit::offset));
        long next = 0;
        for (LineRangeSplit s : ranges) {
            assertThat(s.offset()).as("%s starts where the last ended", s).isEqualTo(next);
            assertThat(s.length()).as("%s is not empty", s).isPositive();
            long breaks = 0;
            for (int i = 0; i < s.offset(); i++) {
                breaks += content[i] == '\n' ? 1 : 0;
            }
            assertThat(s.firstLine()).as("%s first line", s).isEqualTo(breaks + 1);
            if (s.offset() > 0) {
                assertThat(content[(int) s.offset() - 1]).as("%s begins after a line break", s).isEqualTo((byte) '\n');
            }
            next = s.offset() + s.length();
        }
        assertThat(next).isEqualTo(content.length);
    }

    private static byte[] randomLines(SplittableRandom r, int lines, boolean withLongLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int longAt = withLongLine ? r.nextInt(lines) : -1;
        for (int i = 0; i < lines; i++) {
            int len = i == longAt ? LineParser.MAX_LINE_BYTES + 1 + r.nextInt(5_000) : r.nextInt(10) == 0 ? 0 : r.nextInt(300);
            for (int j = 0; j < len; j++) {
                int b = r.nextInt(100) == 0 ? '\r' : 32 + r.nextInt(95);
                out.write(b);
            }
            if (i < lines - 1 || r.nextBoolean()) {
                if (r.nextInt(5) == 0) {
                    out.write('\r');
                }
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** What one reader over the whole file gives, as {@code source:number:bytes} in order. */
    private static List<String> expected(String source, byte[] content) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineReader lines = new LineReader(new ByteArrayInputStream(content))) {
            for (LineReader.Line l; (l = lines.next()) != null; ) {
                out.add(show(source, l.number(), l.bytes()));
            }
        }
        return out;
    }

    private static List<String> readWithFlink(MemorySize splitSize, org.apache.flink.core.fs.Path path) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(3);
        List<String> out = new ArrayList<>();
        env.fromSource(NumberedLinesSource.of(splitSize, path), WatermarkStrategy.noWatermarks(), "lines")
                .map(l -> show(l.source(), l.number(), l.bytes()))
                .executeAndCollect()
                .forEachRemaining(out::add);
        // Sorted, duplicates kept: a line read twice must show.
        out.sort(null);
        return out;
    }

    /** Sorted by source and number: the number zero-padded. */
    private static String show(String source, long number, byte[] bytes) {
        return source + ":" + String.format("%012d", number) + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path p) {
        return new org.apache.flink.core.fs.Path(p.toUri());
    }
}

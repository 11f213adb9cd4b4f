package dev.audiencemirror.files;

import java.io.IOException;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * A file sink that writes each {@link TaggedLine} into its folder under {@code root}, buffered as
 * {@link TextLinesWriter} does. Part files carry a unique id, so several such sinks may write into
 * one folder.
 */
public final class TaggedLinesSink {
    private TaggedLinesSink() {}

    public static FileSink<TaggedLine> to(Path root) {
        BulkWriter.Factory<String> lines = TextLinesWriter.factory();
        BulkWriter.Factory<TaggedLine> tagged = stream -> {
            BulkWriter<String> w = lines.create(stream);
            return new BulkWriter<>() {
                @Override
                public void addElement(TaggedLine element) throws IOException {
                    w.addElement(element.line());
                }

                @Override
                public void flush() throws IOException {
                    w.flush();
                }

                @Override
                public void finish() throws IOException {
                    w.finish();
                }
            };
        };
        return FileSink.forBulkFormat(root, tagged)
                .withBucketAssigner(new ByFolder())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").build())
                .build();
    }

    private static final class ByFolder implements BucketAssigner<TaggedLine, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(TaggedLine element, Context context) {
            return element.folder();
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}

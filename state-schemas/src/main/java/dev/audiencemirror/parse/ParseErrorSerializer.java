package dev.audiencemirror.parse;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ParseError}, for rejected lines on their way to the dead-letter output.
 * Format v1: source, position, field, reason, raw.
 */
public final class ParseErrorSerializer extends ImmutableValueSerializer<ParseError> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final ParseErrorSerializer INSTANCE = new ParseErrorSerializer();

    private ParseErrorSerializer() {}

    @Override
    public ParseError createInstance() {
        return new ParseError("", 0, ParseError.WHOLE_LINE, "", "");
    }

    @Override
    public void serialize(ParseError e, DataOutputView out) throws IOException {
        FieldCodec.writeString(e.source(), out);
        out.writeLong(e.position());
        FieldCodec.writeString(e.field(), out);
        FieldCodec.writeString(e.reason(), out);
        FieldCodec.writeString(e.raw(), out);
    }

    @Override
    public ParseError deserialize(DataInputView in) throws IOException {
        String source = FieldCodec.readRequiredString(in, "ParseError.source");
        long position = in.readLong();
        String field = FieldCodec.readRequiredString(in, "ParseError.field");
        String reason = FieldCodec.readRequiredString(in, "ParseError.reason");
        String raw = FieldCodec.readString(in);
        return new ParseError(source, position, field, reason, raw);
    }

    @Override
    public TypeSerializerSnapshot<ParseError> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    /** Name stored in savepoints: do not rename or move. */
    public static final class Snapshot extends VersionedSerializerSnapshot<ParseError> {
        public Snapshot() {
            super("ParseError", VERSION);
        }

        @Override
        protected TypeSerializer<ParseError> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

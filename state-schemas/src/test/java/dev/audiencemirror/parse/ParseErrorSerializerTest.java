package dev.audiencemirror.parse;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ParseError}. */
class ParseErrorSerializerTest extends SerializerTestBase<ParseError> {

    @Override
    protected TypeSerializer<ParseError> createSerializer() {
        return ParseErrorSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ParseError> getTypeClass() {
        return ParseError.class;
    }

    @Override
    protected ParseError[] getTestData() {
        return new ParseError[] {
            new ParseError("events.jsonl", 12, "aliases[1].id", "must not be empty", "{\"a\":1}"),
            new ParseError("kafka:events/3", Long.MAX_VALUE, "$", "line is 2000000 bytes, over the 1 MiB limit", "x".repeat(200_000)),
            new ParseError("", -1, "time", "r", "")
        };
    }
}

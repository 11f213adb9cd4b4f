package dev.audiencemirror.stream;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetterJsonEncoder;
import dev.audiencemirror.files.JsonLinesSink;
import dev.audiencemirror.parse.ParseError;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.core.fs.Path;

/**
 * Rejects and dead letters as JSON Lines files under one directory: {@code rejects/} and
 * {@code dead-letters/<destination>/} ({@link JsonLinesSink}).
 */
final class FileOutputs {
    private final Path dir;

    FileOutputs(String dir) {
        this.dir = new Path(dir);
    }

    Sink<ParseError> rejects() {
        return JsonLinesSink.to(new Path(dir, "rejects"), new ParseErrorJsonEncoder());
    }

    Sink<DeadLetter> deadLetters(String destination) {
        return JsonLinesSink.to(new Path(new Path(dir, "dead-letters"), destination), new DeadLetterJsonEncoder());
    }
}

package dev.audiencemirror.connector.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.Encoder;

/** Dead letters as JSON lines, for a file sink (one dead letter per line, see {@link DeadLetter#toJson()}). */
@Internal
public final class DeadLetterJsonEncoder implements Encoder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DeadLetter element, OutputStream stream) throws IOException {
        stream.write(element.toJson().getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
    }
}

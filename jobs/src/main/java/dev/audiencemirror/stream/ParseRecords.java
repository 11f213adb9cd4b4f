package dev.audiencemirror.stream;

import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.LineParser;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses the records of one input of the streaming job. Good records go on; bad ones go to the
 * {@link #REJECTS} side output with their reason and the raw record (the job's dead-letter
 * output), so a producer's mistake never stops the job. Every record is counted in the metric
 * group {@code input.<name>}: {@code records}, {@code rejected}, {@code ignored} (valid but not
 * for us, e.g. other event types or cohorts that are not activated).
 */
abstract class ParseRecords<T, O> extends ProcessFunction<NumberedLine, O> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    static final OutputTag<ParseError> REJECTS = new OutputTag<>("rejects", TypeInformation.of(ParseError.class));

    private final String input;
    private final LineParser<T> parser;
    private transient InputCounters counters;

    ParseRecords(String input, LineParser<T> parser) {
        this.input = input;
        this.parser = parser;
    }

    @Override
    public void open(OpenContext context) {
        counters = new InputCounters(getRuntimeContext(), input);
    }

    @Override
    public void processElement(NumberedLine line, Context ctx, Collector<O> out) {
        counters.record();
        ParseResult<T> result = parser.parse(line.source(), line.number(), line.bytes());
        if (result instanceof ParseResult.Ok<T> ok) {
            result = check(ok.value(), line);
        }
        if (result instanceof ParseResult.Ok<T> ok) {
            emit(ok.value(), line, ctx, out);
        } else if (result instanceof ParseResult.Rejected<T> r) {
            counters.rejected();
            ctx.output(REJECTS, r.error());
        } else {
            counters.ignored();
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        counters.checkpointCompleted(checkpointId);
    }

    /** Sends on what an accepted record read from {@code line} stands for. */
    abstract void emit(T value, NumberedLine line, Context ctx, Collector<O> out);

    /** A second look at a well-formed record: what this job cannot use is ignored or rejected here. */
    ParseResult<T> check(T value, NumberedLine line) {
        return ParseResult.ok(value);
    }
}

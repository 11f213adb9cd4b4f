package dev.audiencemirror.nightly;

import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.LineParser;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses the lines of one input: good records go on through {@link #accept}, bad lines to the
 * {@link #REJECTS} side output with their reason and raw text, and every line is counted (lines
 * read, rejected, ignored; rows: the lines that are records, read or rejected, not blank lines or
 * a CSV header) in accumulators named {@code input.<name>.<count>} that the run report, the reject
 * threshold and {@link UnusedRows} read.
 */
abstract class ParseAndMap<T, OUT> extends ProcessFunction<NumberedLine, OUT> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<ParseError> REJECTS = new OutputTag<>("rejects", TypeInformation.of(ParseError.class));

    private final String input;
    private final LineParser<T> parser;
    private transient LongCounter read;
    private transient LongCounter rejected;
    private transient LongCounter ignored;
    private transient LongCounter rows;

    ParseAndMap(String input, LineParser<T> parser) {
        this.input = input;
        this.parser = parser;
    }

    static String counter(String input, String what) {
        return "input." + input + "." + what;
    }

    @Override
    public void open(OpenContext context) {
        read = getRuntimeContext().getLongCounter(counter(input, "lines"));
        rejected = getRuntimeContext().getLongCounter(counter(input, "rejected"));
        ignored = getRuntimeContext().getLongCounter(counter(input, "ignored"));
        rows = getRuntimeContext().getLongCounter(counter(input, "rows"));
    }

    @Override
    public void processElement(NumberedLine line, Context ctx, Collector<OUT> out) {
        read.add(1);
        LineParser<T> p = parserFor(line);
        ParseResult<T> result = p.parse(line.source(), line.number(), line.bytes());
        if (result instanceof ParseResult.Ok<T> ok) {
            rows.add(1);
            accept(ok.value(), line, out);
        } else if (result instanceof ParseResult.Rejected<T> r) {
            rows.add(1);
            rejected.add(1);
            ctx.output(REJECTS, r.error());
            p.subjectOf(r.error().raw()).ifPresent(subject -> rejectedAbout(subject, out));
        } else {
            ignored.add(1); // our parsers ignore only lines that are no record: blank, a CSV header
        }
    }

    /** The parser for this line's file; one for all by default. */
    LineParser<T> parserFor(NumberedLine line) {
        return parser;
    }

    abstract void accept(T value, NumberedLine line, Collector<OUT> out);

    /** A rejected line that still names whom it is about: by default nothing more happens. */
    void rejectedAbout(String subject, Collector<OUT> out) {}
}

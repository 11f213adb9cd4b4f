package dev.audiencemirror.stream;

import dev.audiencemirror.assertion.AssertionParser;
import dev.audiencemirror.assertion.MembershipAssertion;
import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.parse.ParseResult;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The membership assertions a nightly run hands the job for the lists it writes: each becomes what
 * it states, an entry or exit per activated cohort at the export's as-of time, and the export's
 * identity record with its own time and the assertion's input position (to the {@link #IDENTITIES}
 * side output). From there they are events and identities like any other, so the event-time rule
 * of {@link UserMembership} decides between the export and the stream's own records.
 */
final class ParseAssertions extends ParseRecords<MembershipAssertion, MembershipEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<PositionedIdentity> IDENTITIES =
            new OutputTag<>("asserted-identities", TypeInformation.of(PositionedIdentity.class));

    private final Activations activations;

    ParseAssertions(String aliasTag, Activations activations) {
        super("assertions", new AssertionParser(aliasTag));
        this.activations = activations;
    }

    @Override
    ParseResult<MembershipAssertion> check(MembershipAssertion a, NumberedLine line) {
        if (a.identity().isEmpty() && a.cohorts().keySet().stream().noneMatch(activations::isActivated)) {
            return ParseResult.ignored("names no activated cohort and no identity");
        }
        return ParseResult.ok(a);
    }

    @Override
    void emit(MembershipAssertion a, NumberedLine line, Context ctx, Collector<MembershipEvent> out) {
        a.identity().ifPresent(i -> ctx.output(IDENTITIES, new PositionedIdentity(i, line.source(), line.number())));
        for (Map.Entry<String, Boolean> c : a.cohorts().entrySet()) {
            if (activations.isActivated(c.getKey())) {
                out.collect(MembershipEvent.forUser(a.userId(), c.getKey(), c.getValue(), a.asOf()));
            }
        }
    }
}

package dev.audiencemirror.stream;

import dev.audiencemirror.event.EventParser;
import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import org.apache.flink.util.Collector;

/**
 * SegmentEntry/SegmentExit events of the streaming job. Only activated cohorts concern it: events
 * for other cohorts are ignored here, before any state is touched (so state holds activated
 * cohorts only; an activation added later applies from its next events on). An event naming its
 * user by an alias other than the contact alias is rejected: nothing in the job maps such aliases
 * to users (see {@link UserKeys}).
 */
final class ParseEvents extends ParseRecords<MembershipEvent, MembershipEvent> {
    private static final long serialVersionUID = 1L;

    private final String aliasTag;
    private final Activations activations;

    ParseEvents(String aliasTag, Activations activations) {
        super("events", new EventParser(aliasTag));
        this.aliasTag = aliasTag;
        this.activations = activations;
    }

    @Override
    void emit(MembershipEvent e, NumberedLine line, Context ctx, Collector<MembershipEvent> out) {
        out.collect(e);
    }

    @Override
    ParseResult<MembershipEvent> check(MembershipEvent e, NumberedLine line) {
        if (!activations.isActivated(e.segmentId())) {
            return ParseResult.ignored("cohort " + e.segmentId() + " is not activated");
        }
        if (e.byAlias() && !e.aliasTag().equals(aliasTag)) {
            return ParseResult.rejected(new ParseError(line.source(), line.number(), "alias.tag",
                    "the streaming job finds users by user_id or by the contact alias \"" + aliasTag
                            + "\"; alias tag \"" + e.aliasTag() + "\" cannot be matched to a user",
                    new String(line.bytes(), StandardCharsets.UTF_8)));
        }
        return ParseResult.ok(e);
    }
}

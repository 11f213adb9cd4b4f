package dev.audiencemirror.nightly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.audiencemirror.files.TaggedLine;
import dev.audiencemirror.parse.ParseError;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The folders the plan job writes: under the run's folder what a person reads (the plan, rejects,
 * users without a contact, held users); under the new snapshot what the next run reads. Each
 * operator writes all of its lines through one {@link dev.audiencemirror.files.TaggedLinesSink}
 * per root.
 */
final class PlanOutputs {
    static final String LIST_OPS = "plan/list-ops";
    static final String SEGMENT_OPS = "plan/segment-ops";
    static final String REJECTS = "rejects";
    static final String UNMATCHED_USERS = "unmatched-users";
    static final String HELD_USERS = "held-users";
    /** The membership assertions for the streaming job ({@link Handoff}). */
    static final String HANDOFF = "handoff";

    static final String PAIRS = "pairs";
    static final String SEGMENTS = "segments";
    static final String USERS = "users";
    static final String UNCERTAIN = "uncertain";
    /** {@code user<TAB>cohort,cohort}: the users the hand-off had in some cohort. */
    static final String HANDED_OFF = "handed-off";

    /** Lines for the new snapshot, beside an operator's main output. */
    static final OutputTag<TaggedLine> BASELINE = new OutputTag<>("baseline", TypeInformation.of(TaggedLine.class));
    /** Lines for the run's folder, beside an operator's main output. */
    static final OutputTag<TaggedLine> REPORT = new OutputTag<>("report", TypeInformation.of(TaggedLine.class));

    private PlanOutputs() {}

    static TaggedLine reject(ParseError e) {
        ObjectNode n = PlannedOperation.JSON.createObjectNode();
        n.put("source", e.source());
        n.put("line", e.position());
        n.put("field", e.field());
        n.put("reason", e.reason());
        n.put("raw", e.raw());
        return new TaggedLine(REJECTS, n.toString());
    }
}

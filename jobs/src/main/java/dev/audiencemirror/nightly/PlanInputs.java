package dev.audiencemirror.nightly;

import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.membership.MembershipRow;
import dev.audiencemirror.membership.MembershipRowParser;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.segment.SegmentParser;
import java.util.Map;
import org.apache.flink.util.Collector;

/** The parse steps of the plan job, one per input, each mapping good records to what the diff needs. */
final class PlanInputs {
    private PlanInputs() {}

    /** Identity lines → the user's contact ID under the alias tag (users without one are left out here). */
    static final class Identities extends ParseAndMap<IdentityRecord, UserInput> {
        private static final long serialVersionUID = 1L;
        private final String aliasTag;

        Identities(String aliasTag) {
            super("identities", new IdentityParser(aliasTag));
            this.aliasTag = aliasTag;
        }

        @Override
        void accept(IdentityRecord r, Collector<UserInput> out) {
            r.contactIdFor(aliasTag).ifPresent(contact -> out.collect(UserInput.identity(r.userId(), contact)));
        }
    }

    /** Membership rows → the list of each activated cohort (other cohorts are not mirrored). */
    static final class Memberships extends ParseAndMap<MembershipRow, UserInput> {
        private static final long serialVersionUID = 1L;
        private final Map<String, Long> activations;

        Memberships(Map<String, Long> activations) {
            super("memberships", new MembershipRowParser());
            this.activations = Map.copyOf(activations);
        }

        @Override
        void accept(MembershipRow r, Collector<UserInput> out) {
            Long list = activations.get(r.cohort());
            if (list != null) {
                out.collect(UserInput.membership(r.userId(), list));
            }
        }
    }

    /** Segment definition lines → today's side of each code. */
    static final class Segments extends ParseAndMap<SegmentDefinition, SegmentSides> {
        private static final long serialVersionUID = 1L;

        Segments() {
            super("segments", new SegmentParser());
        }

        @Override
        void accept(SegmentDefinition d, Collector<SegmentSides> out) {
            out.collect(new SegmentSides(d.code(), SegmentJson.canonical(d), null));
        }
    }
}

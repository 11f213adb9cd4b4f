package dev.audiencemirror.nightly;

import dev.audiencemirror.files.NumberedLine;
import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.membership.CsvColumns;
import dev.audiencemirror.membership.MembershipRow;
import dev.audiencemirror.membership.MembershipRowParser;
import dev.audiencemirror.parse.LineParser;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.segment.SegmentParser;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.Collector;

/** The parse steps of the plan job, one per input, each mapping good records to what the diff needs. */
final class PlanInputs {
    private PlanInputs() {}

    /**
     * Identity lines → the user's contact ID under the alias tag (or none), the record's time and
     * where it was read: of several lines of one user the join keeps the one the streaming job
     * would ({@link UserInput#replaces}), and a standing line without a contact ID takes the user
     * off their lists, as it does there. A rejected line that names its user holds that user
     * ({@link UserListJoin}).
     */
    static final class Identities extends ParseAndMap<IdentityRecord, UserInput> {
        private static final long serialVersionUID = 1L;
        private final String aliasTag;

        Identities(String aliasTag) {
            super("identities", new IdentityParser(aliasTag));
            this.aliasTag = aliasTag;
        }

        @Override
        void accept(IdentityRecord r, NumberedLine line, Collector<UserInput> out) {
            out.collect(UserInput.identity(r.userId(), r.contactIdFor(aliasTag).orElse(null), r.time(), line.source(), line.number()));
        }

        @Override
        void rejectedAbout(String userId, Collector<UserInput> out) {
            out.collect(UserInput.held(userId, UserInput.HELD_IDENTITY));
        }
    }

    /**
     * Membership rows → the list of each activated cohort whose list this run pushes, or the cohort
     * itself when its list is handed to the streaming job (other cohorts are not mirrored). CSV
     * files are read as their header says ({@code layouts}, by file name, checked before the job
     * starts); a rejected row that names its user holds that user.
     */
    static final class Memberships extends ParseAndMap<MembershipRow, UserInput> {
        private static final long serialVersionUID = 1L;
        static final String NOT_ACTIVATED = "memberships.not-activated";
        private final Map<String, Long> activations;
        private final Set<String> handedOff;
        private final Map<String, MembershipRowParser> byFile;
        private transient Counters counters;

        Memberships(Map<String, Long> activations, Set<String> handedOff, Map<String, CsvColumns> layouts) {
            super("memberships", new MembershipRowParser());
            this.activations = Map.copyOf(activations);
            this.handedOff = new HashSet<>(handedOff);
            Map<String, MembershipRowParser> parsers = new HashMap<>();
            layouts.forEach((file, layout) -> parsers.put(file, new MembershipRowParser(layout)));
            this.byFile = parsers;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            super.open(context);
            counters = new Counters(getRuntimeContext());
        }

        @Override
        LineParser<MembershipRow> parserFor(NumberedLine line) {
            MembershipRowParser p = byFile.get(line.source());
            return p != null ? p : super.parserFor(line);
        }

        @Override
        void accept(MembershipRow r, NumberedLine line, Collector<UserInput> out) {
            Long list = activations.get(r.cohort());
            if (handedOff.contains(r.cohort())) {
                out.collect(UserInput.cohort(r.userId(), r.cohort()));
            } else if (list != null) {
                out.collect(UserInput.membership(r.userId(), list));
            } else {
                counters.add(NOT_ACTIVATED);
            }
        }

        @Override
        void rejectedAbout(String userId, Collector<UserInput> out) {
            out.collect(UserInput.held(userId, UserInput.HELD_MEMBERSHIP));
        }
    }

    /** Segment definition lines → today's side of each code, with where it was read. */
    static final class Segments extends ParseAndMap<SegmentDefinition, SegmentInput> {
        private static final long serialVersionUID = 1L;

        Segments() {
            super("segments", new SegmentParser());
        }

        @Override
        void accept(SegmentDefinition d, NumberedLine line, Collector<SegmentInput> out) {
            out.collect(SegmentInput.today(d.code(), SegmentJson.canonical(d), line.source(), line.number()));
        }

        @Override
        void rejectedAbout(String code, Collector<SegmentInput> out) {
            out.collect(SegmentInput.held(code));
        }
    }
}

package dev.audiencemirror.nightly;

import dev.audiencemirror.config.ListOwnership;
import dev.audiencemirror.config.MirrorConfig;
import java.util.List;
import java.util.Map;

/** Fills a report from the plan job's accumulators (named by the operators that count). */
final class PlanCounts {
    private PlanCounts() {}

    static void read(Map<String, Object> acc, MirrorConfig config, RunReport report) {
        for (String input : List.of("identities", "memberships", "segments")) {
            if (acc.containsKey(ParseAndMap.counter(input, "lines"))) {
                long ignored = count(acc, ParseAndMap.counter(input, "ignored"));
                if (input.equals("memberships")) {
                    ignored += count(acc, PlanInputs.Memberships.NOT_ACTIVATED);
                }
                report.inputs.put(input, new RunReport.InputCounts(count(acc, ParseAndMap.counter(input, "lines")),
                        count(acc, ParseAndMap.counter(input, "rejected")), ignored, count(acc, ParseAndMap.counter(input, "rows"))));
            }
        }
        ListOwnership ownership = ListOwnership.of(config);
        for (long list : ownership.pushed()) {
            RunReport.ListCounts c = report.lists.computeIfAbsent(list, l -> new RunReport.ListCounts());
            c.synced = count(acc, ListDiff.counter(list, "synced"));
            c.target = count(acc, ListDiff.counter(list, "target"));
            c.adds = count(acc, ListDiff.counter(list, "adds"));
            c.removes = count(acc, ListDiff.counter(list, "removes"));
            c.retracted = count(acc, ListDiff.counter(list, "retracted"));
            c.held = count(acc, ListDiff.counter(list, "held"));
            c.uncertain = count(acc, ListDiff.counter(list, "uncertain"));
            c.resent = count(acc, ListDiff.counter(list, "resent"));
        }
        if (report.handoff != null) {
            report.handoff.assertions = count(acc, Handoff.ASSERTIONS);
            ownership.handedOff().forEach((cohort, list) -> {
                RunReport.CohortCounts c = report.handoff.cohorts.computeIfAbsent(cohort, k -> new RunReport.CohortCounts());
                c.list = list;
                c.in = count(acc, Handoff.counter(cohort, "in"));
                c.before = count(acc, Handoff.counter(cohort, "before"));
                c.leaving = count(acc, Handoff.counter(cohort, "leaving"));
            });
        }
        report.usersWithoutContact = count(acc, UserListJoin.UNMATCHED_COUNTER);
        report.usersHeldIdentity = count(acc, UserListJoin.HELD_IDENTITY_COUNTER);
        report.usersHeldMembership = count(acc, UserListJoin.HELD_MEMBERSHIP_COUNTER);
        report.segmentsSynced = count(acc, SegmentDiff.SYNCED);
        report.creates = count(acc, SegmentDiff.CREATES);
        report.updates = count(acc, SegmentDiff.UPDATES);
        report.deletes = count(acc, SegmentDiff.DELETES);
        report.segmentsHeld = count(acc, SegmentDiff.HELD);
        report.segmentsResent = count(acc, SegmentDiff.RESENT);
    }

    private static long count(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }
}

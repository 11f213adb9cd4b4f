package dev.audiencemirror.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    private static final FaultConfig MIXED = FaultConfig.builder().latencyJitterMs(50).rate429(0.1).rate500(0.1)
            .rate503(0.1).dropRate(0.1).slowRate(0.1).failAfterApplyRate(0.5).build();

    private static List<FaultDecision> decisions(FaultInjector f, int n) {
        List<FaultDecision> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(f.decide(Endpoint.ADESTRA_ADD));
        }
        return out;
    }

    @Test
    void sameSeedSameDecisionsDifferentSeedDifferent() {
        List<FaultDecision> a = decisions(new FaultInjector(MIXED, 42), 500);
        List<FaultDecision> b = decisions(new FaultInjector(MIXED, 42), 500);
        List<FaultDecision> c = decisions(new FaultInjector(MIXED, 43), 500);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        assertThat(decisions(new FaultInjector(MIXED.toBuilder().seed(42L).build(), 0), 500)).isEqualTo(a);
    }

    @Test
    void reconfiguringRestartsTheSequence() {
        FaultInjector f = new FaultInjector(MIXED, 5);
        List<FaultDecision> first = decisions(f, 100);
        f.configure(MIXED);
        assertThat(decisions(f, 100)).isEqualTo(first);
    }

    @Test
    void ratesAreRoughlyHonoured() {
        List<FaultDecision> d = decisions(new FaultInjector(MIXED, 1), 10_000);
        for (int status : new int[] {429, 500, 503}) {
            assertThat(d.stream().filter(x -> x.kind() == FaultDecision.Kind.STATUS && x.status() == status).count())
                    .isBetween(800L, 1200L);
        }
        assertThat(d.stream().filter(x -> x.kind() == FaultDecision.Kind.DROP).count()).isBetween(800L, 1200L);
        assertThat(d.stream().filter(x -> x.kind() == FaultDecision.Kind.SLOW).count()).isBetween(800L, 1200L);
        assertThat(d).allSatisfy(x -> assertThat(x.latencyMs()).isBetween(0L, 50L));
        assertThat(d).filteredOn(x -> x.status() == 429).noneMatch(FaultDecision::afterApply);
    }

    @Test
    void failNextFailsExactlyTheNextN() {
        FaultInjector f = new FaultInjector(FaultConfig.builder().failNext(3).failNextStatus(500).build(), 1);
        assertThat(f.failNextRemaining()).isEqualTo(3);
        List<FaultDecision> d = decisions(f, 5);
        assertThat(d).extracting(FaultDecision::status).containsExactly(500, 500, 500, 0, 0);
        assertThat(f.failNextRemaining()).isZero();
    }

    @Test
    void outOfScopeRequestsAreUntouchedAndTakeNoOrdinal() {
        FaultInjector f = new FaultInjector(FaultConfig.builder().failNext(1)
                .scope(FaultConfig.Scope.TAXONOMY).build(), 1);
        assertThat(f.decide(Endpoint.ADESTRA_ADD).kind()).isEqualTo(FaultDecision.Kind.NONE);
        assertThat(f.decide(Endpoint.TAXONOMY_PATCH_SEGMENTS).kind()).isEqualTo(FaultDecision.Kind.STATUS);
    }
}

package dev.audiencemirror.sandbox.taxonomy;

import static dev.audiencemirror.sandbox.ApiCalls.create;
import static dev.audiencemirror.sandbox.ApiCalls.ops;
import static dev.audiencemirror.sandbox.ApiCalls.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.sandbox.ApiCalls;
import dev.audiencemirror.sandbox.Endpoint;
import dev.audiencemirror.sandbox.LogEntry;
import dev.audiencemirror.sandbox.SandboxServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Operations inside one batch are applied in a shuffled order, the same one for the same seed. */
class ShuffledBatchOrderTest {

    /** An import id the published contract accepts (a UUID). */
    static final String IMPORT = "5c0e7a21-9d4b-4f3a-8e6c-1b2d3f4a5e6f";

    @Test
    void createThenUpdateOfOneCodeSometimesFindsNothingToUpdate() {
        try (SandboxServer s = SandboxServer.builder().imports("imp").seed(7).taxonomyRowErrors(true).build().start()) {
            ApiCalls api = new ApiCalls(s);
            int updateFailed = 0;
            int bothApplied = 0;
            for (int i = 0; i < 40; i++) {
                String code = "c" + i;
                String body = api.patch("imp", ops(create(code, "v1"), update(code, "v2"))).body();
                if (body.contains("\"status\":404")) {
                    updateFailed++;
                } else {
                    bothApplied++;
                }
            }
            // A client that trusted request order would always see both applied.
            assertThat(updateFailed).isPositive();
            assertThat(bothApplied).isPositive();
            assertThat(s.stats().sameCodeInBatchCount()).isEqualTo(40);
        }
    }

    @Test
    void underThePublishedContractCreateThenUpdateOfOneCodeIsSometimesRefusedWhole() {
        try (SandboxServer s = SandboxServer.builder().imports(IMPORT).seed(7).build().start()) {
            ApiCalls api = new ApiCalls(s);
            int refused = 0;
            int applied = 0;
            for (int i = 0; i < 40; i++) {
                String code = "c" + i;
                int status = api.patch(IMPORT, ops(create(code, "v1"), update(code, "v2"))).statusCode();
                if (status == 404) {
                    // The Update was tried first and found nothing: the Create was not applied either.
                    assertThat(s.client().importSegments(IMPORT)).doesNotContainKey(code);
                    refused++;
                } else {
                    assertThat(status).isEqualTo(200);
                    assertThat(s.client().importSegments(IMPORT).get(code).name()).isEqualTo("v2");
                    applied++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(applied).isPositive();
            assertThat(s.stats().sameCodeInBatchCount()).isEqualTo(40);
        }
    }

    @Test
    void applyOrderIsLoggedAndReplaysUnderTheSameSeed() {
        List<List<Integer>> first = applyOrders(11);
        List<List<Integer>> again = applyOrders(11);
        List<List<Integer>> other = applyOrders(12);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        List<Integer> identity = IntStream.range(0, 10).boxed().toList();
        Set<List<Integer>> distinct = new HashSet<>(first);
        assertThat(distinct).hasSizeGreaterThan(1);
        assertThat(first).anySatisfy(order -> assertThat(order).isNotEqualTo(identity));
        assertThat(first).allSatisfy(order -> assertThat(order).containsExactlyInAnyOrderElementsOf(identity));
    }

    private static List<List<Integer>> applyOrders(long seed) {
        try (SandboxServer s = SandboxServer.builder().imports(IMPORT).seed(seed).build().start()) {
            ApiCalls api = new ApiCalls(s);
            for (int b = 0; b < 5; b++) {
                String[] items = new String[10];
                for (int i = 0; i < 10; i++) {
                    items[i] = create("b" + b + "-" + i, "n");
                }
                assertThat(api.patch(IMPORT, ops(items)).statusCode()).isEqualTo(200);
            }
            List<List<Integer>> orders = new ArrayList<>();
            for (LogEntry e : s.client().log(0)) {
                if (e.endpoint().equals(Endpoint.TAXONOMY_PATCH_SEGMENTS.label())) {
                    orders.add(e.applyOrder());
                }
            }
            assertThat(orders).hasSize(5);
            return orders;
        }
    }
}

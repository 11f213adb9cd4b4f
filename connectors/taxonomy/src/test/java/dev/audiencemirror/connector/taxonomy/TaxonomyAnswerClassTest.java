package dev.audiencemirror.connector.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TaxonomyAnswerClassTest {

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"200, APPLIED", "207, APPLIED", "401, INVALID_KEY", "403, READ_ONLY_KEY", "404, STALE_CODES", "409, STALE_CODES",
            "400, REJECTED_ROWS", "413, REJECTED_ROWS", "422, REJECTED_ROWS", "408, RETRY", "429, RETRY", "500, RETRY",
            "503, RETRY", "418, PERMANENT"})
    void everyStatusHasOneMeaning(int status, TaxonomyAnswerClass expected) {
        assertThat(TaxonomyAnswerClass.of(status, null)).isEqualTo(expected);
    }

    @Test
    void noAnswerIsRetriedWhenTheNetworkFailedAndNotForOurOwnBugs() {
        assertThat(TaxonomyAnswerClass.of(0, new HttpTimeoutException("timed out"))).isEqualTo(TaxonomyAnswerClass.RETRY);
        assertThat(TaxonomyAnswerClass.of(0, new IOException("connection reset"))).isEqualTo(TaxonomyAnswerClass.RETRY);
        assertThat(TaxonomyAnswerClass.of(0, new IllegalStateException("bug"))).isEqualTo(TaxonomyAnswerClass.PERMANENT);
    }
}

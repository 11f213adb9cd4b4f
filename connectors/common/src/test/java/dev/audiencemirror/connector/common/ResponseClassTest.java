package dev.audiencemirror.connector.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ResponseClassTest {

    @Test
    void statusesMapAsTheApisDocumentThem() {
        assertThat(ResponseClass.ofStatus(200)).isEqualTo(ResponseClass.SUCCESS);
        assertThat(ResponseClass.ofStatus(204)).isEqualTo(ResponseClass.SUCCESS);
        assertThat(ResponseClass.ofStatus(429)).isEqualTo(ResponseClass.RETRY);
        assertThat(ResponseClass.ofStatus(500)).isEqualTo(ResponseClass.RETRY);
        assertThat(ResponseClass.ofStatus(503)).isEqualTo(ResponseClass.RETRY);
        assertThat(ResponseClass.ofStatus(401)).isEqualTo(ResponseClass.AUTH);
        assertThat(ResponseClass.ofStatus(403)).isEqualTo(ResponseClass.AUTH);
        assertThat(ResponseClass.ofStatus(404)).isEqualTo(ResponseClass.PERMANENT);
        assertThat(ResponseClass.ofStatus(400)).isEqualTo(ResponseClass.PERMANENT);
    }

    @Test
    void noAnswerIsRetriedButOurOwnBugsAreNot() {
        assertThat(ResponseClass.ofFailure(new CompletionException(new IOException("closed")))).isEqualTo(ResponseClass.RETRY);
        assertThat(ResponseClass.ofFailure(new HttpTimeoutException("timed out"))).isEqualTo(ResponseClass.RETRY);
        assertThat(ResponseClass.ofFailure(new IllegalStateException("bug"))).isEqualTo(ResponseClass.PERMANENT);
        assertThat(ResponseClass.describeFailure(new CompletionException(new IOException("closed")))).isEqualTo("IOException: closed");
    }
}

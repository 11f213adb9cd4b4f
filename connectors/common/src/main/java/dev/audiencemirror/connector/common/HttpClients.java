package dev.audiencemirror.connector.common;

import java.net.http.HttpClient;
import java.time.Duration;
import org.apache.flink.annotation.Internal;

/** The JDK HTTP client set up the same way for both connectors. */
@Internal
public final class HttpClients {
    private HttpClients() {}

    /**
     * HTTP/1.1 (both APIs speak it; it keeps one request per connection, so connections in use
     * equal requests in flight, which is what Adestra's limit counts), no redirects (a redirect to
     * another host must not receive the key), and completions run on the client's own selector
     * thread: the connectors' completion handlers only hand the answer to the task's mailbox, and
     * an extra thread hop there cost about a tenth of the Adestra sink's throughput (benchmark in
     * its README). JDK 17's client has no close(): its connections and thread end with it.
     */
    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(Runnable::run)
                .build();
    }
}

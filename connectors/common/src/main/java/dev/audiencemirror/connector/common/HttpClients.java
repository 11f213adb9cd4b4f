package dev.audiencemirror.connector.common;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDK HTTP client set up the same way for both connectors. */
public final class HttpClients {
    private HttpClients() {}

    /**
     * HTTP/1.1 (both APIs speak it; it keeps one request per connection, so connections in use
     * equal requests in flight, which is what Adestra's limit counts), no redirects (a redirect to
     * another host must not receive the key), and a small daemon pool for completions.
     */
    public static HttpClient create(Duration connectTimeout, String threadPrefix) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor(threadPrefix))
                .build();
    }

    private static ExecutorService executor(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, prefix + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Frees the client's threads and connections (JDK 17's client has no close()). */
    public static void shutdown(HttpClient client) {
        client.executor().ifPresent(e -> {
            if (e instanceof ExecutorService s) {
                s.shutdownNow();
            }
        });
    }
}

package dev.audiencemirror.config;

import dev.audiencemirror.connector.adestra.AdestraSinkConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One Adestra account, two jobs. A nightly run that names the streaming job's config
 * ({@code nightly.stream-config}) runs beside that job and writes the same account at the same
 * time, and Adestra allows {@link AdestraSinkConfig#ACCOUNT_CONCURRENCY_LIMIT} concurrent
 * connections per account, not per job: the two {@code adestra.max-concurrency} values must add up
 * to no more, or the jobs' requests past it are throttled, each job's budget no longer being its
 * own. Each value alone is checked by {@link AdestraSection}.
 */
final class SharedAdestraAccount {
    private static final String KEY = AdestraSection.KEY + ".max-concurrency";

    private SharedAdestraAccount() {}

    /**
     * The problem, under {@code adestra.max-concurrency}, when the two values add up to more than
     * the account's limit.
     *
     * @param source the nightly config's file, as given
     */
    static Optional<String> problem(String source, AdestraSettings nightly, StreamJobConfig stream) {
        int limit = AdestraSinkConfig.ACCOUNT_CONCURRENCY_LIMIT;
        int mine = nightly.maxConcurrency();
        int theirs = stream.config().adestra().maxConcurrency();
        if (mine + theirs <= limit) {
            return Optional.empty();
        }
        String account = ", more than the account's " + limit + " concurrent connections: the nightly run and the streaming"
                + " job write the same Adestra account at the same time; ";
        if (sameFile(source, stream.source())) {
            return Optional.of(KEY + ": " + mine + " in " + source + ", which both jobs read (nightly.stream-config names"
                    + " that file), counts twice, " + (mine + theirs) + account + "set it to at most " + limit / 2
                    + ", or give each job a file of its own");
        }
        int streamShare = limit - limit * 2 / 5;
        return Optional.of(KEY + ": " + mine + " in " + source + " plus " + theirs + " in " + stream.source()
                + " (nightly.stream-config) is " + (mine + theirs) + account + "lower them so that they add up to at most "
                + limit + " (e.g. " + streamShare + " for the streaming job and " + (limit - streamShare)
                + " for the nightly run; a config that does not set it uses " + limit + ")");
    }

    private static boolean sameFile(String a, String b) {
        try {
            return Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
        } catch (InvalidPathException notAPath) {
            return false;
        }
    }
}

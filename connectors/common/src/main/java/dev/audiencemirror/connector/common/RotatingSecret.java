package dev.audiencemirror.connector.common;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret resolved where it is used (in a writer, on its TaskManager) and kept current: a key
 * given as a file is read again at most every {@code checkInterval} when it is asked for, and at
 * once by {@link #reloadAfterRejection()} (the API refused it). Kubernetes updates a mounted Secret by
 * swapping a symlink to a new folder ({@code ..data}), so what is compared is the content read
 * through the path, not the link or an inotify event. A file that cannot be read at a check (or
 * is empty) leaves the last key in use, with a warning; a key from the environment never changes.
 *
 * <p>Metrics ({@link #registerMetrics}): {@value #FINGERPRINT} (which key is in use, see
 * {@link Secret#fingerprint()}), {@value #CHANGES} (how often a changed key was read) and
 * {@value #REJECTIONS} (answers 401/403). None says anything about the key's value.
 *
 * <p>Not thread-safe for its callers (one task thread); the gauges may be read from any thread.
 */
@Internal
public final class RotatingSecret {
    private static final Logger LOG = LoggerFactory.getLogger(RotatingSecret.class);

    /** How often a key file is read again unless a sink says otherwise. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);
    public static final String FINGERPRINT = "apiKeyFingerprint";
    public static final String CHANGES = "apiKeyChanges";
    public static final String REJECTIONS = "apiKeyRejections";

    private final SecretRef ref;
    private final String what;
    private final long checkIntervalNanos;
    private final LongSupplier nanoClock;
    private volatile Secret current;
    private volatile long changes;
    private Counter rejections = new SimpleCounter();
    private long checkedAtNanos;
    private String lastProblem;

    private RotatingSecret(SecretRef ref, String what, Duration checkInterval, LongSupplier nanoClock, Secret first) {
        this.ref = ref;
        this.what = what;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nanoClock = nanoClock;
        this.current = first;
        this.checkedAtNanos = nanoClock.getAsLong();
    }

    /**
     * Resolves {@code ref} now.
     *
     * @param what the secret, for messages, e.g. {@code Adestra API key}
     * @throws IllegalStateException naming the key and where it was looked for, when it cannot be read
     */
    public static RotatingSecret open(SecretRef ref, String what, Duration checkInterval) {
        return open(ref, what, checkInterval, System::nanoTime);
    }

    static RotatingSecret open(SecretRef ref, String what, Duration checkInterval, LongSupplier nanoClock) {
        Objects.requireNonNull(ref, "ref");
        if (checkInterval.isNegative()) {
            throw new IllegalArgumentException("checkInterval must not be negative, was " + checkInterval);
        }
        Secret first;
        try {
            first = ref.resolve();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the " + what + " cannot be read on this TaskManager: " + e.getMessage()
                    + "; the TaskManagers resolve the key themselves, so mount the Secret (or set the variable)"
                    + " on them as on the process that runs the job's main");
        }
        return new RotatingSecret(ref, what, checkInterval, nanoClock, first);
    }

    /** The key to send now: read again first if it is a file and the check interval has passed. */
    public Secret current() {
        if (ref.canChange() && nanoClock.getAsLong() - checkedAtNanos >= checkIntervalNanos) {
            read();
        }
        return current;
    }

    /**
     * The API refused a key (401/403): counts it and reads the key again now, since it may have
     * been rotated; returns what is in use after that (compare {@link #changes()} to see whether
     * it changed).
     */
    public Secret reloadAfterRejection() {
        rejections.inc();
        if (ref.canChange()) {
            read();
        }
        return current;
    }

    /** How many times a changed key has been read since this was opened: its version is {@code changes() + 1}. */
    public long changes() {
        return changes;
    }

    public SecretRef ref() {
        return ref;
    }

    /** Gauges {@value #FINGERPRINT} and {@value #CHANGES}, counter {@value #REJECTIONS}, in {@code group}. */
    public void registerMetrics(MetricGroup group) {
        group.gauge(FINGERPRINT, () -> current.fingerprint());
        group.gauge(CHANGES, () -> changes);
        rejections = group.counter(REJECTIONS);
    }

    private void read() {
        checkedAtNanos = nanoClock.getAsLong();
        Secret read;
        try {
            read = ref.resolve();
        } catch (IllegalStateException e) {
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warn("{}: {}; still using the key read before (fingerprint {})", what, e.getMessage(),
                        current.fingerprintHex());
                lastProblem = e.getMessage();
            }
            return;
        }
        lastProblem = null;
        if (!read.equals(current)) {
            changes++;
            LOG.info("{} from {} changed: now fingerprint {} (was {}), change {} since the writer started", what,
                    ref.describe(), read.fingerprintHex(), current.fingerprintHex(), changes);
            current = read;
        }
    }
}

package dev.audiencemirror.nightly;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * One nightly run at a time per state directory.
 *
 * <ul>
 *   <li>On a local file system the lock is the operating system's lock on {@code LOCK}: it is held
 *       while the process lives and released by the kernel when it dies, {@code kill -9}
 *       included, so a crashed run never leaves a lock behind.
 *   <li>On other file systems (S3, HDFS, …) there is no such lock: {@code LOCK} is a file that the
 *       run rewrites every {@link #HEARTBEAT} and deletes at the end; a file whose heartbeat is
 *       older than {@link #STALE_AFTER} belongs to a dead run and is taken over. Checking and
 *       writing are two steps there, so two runs started within the same second can both pass:
 *       the scheduler must not start overlapping runs (the CronJob's {@code concurrencyPolicy: Forbid}).
 * </ul>
 */
final class StateLock implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    /** Another run holds the lock. */
    static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    private final AutoCloseable release;

    private StateLock(AutoCloseable release) {
        this.release = release;
    }

    static StateLock acquire(String stateDir, String runId, Clock clock) throws IOException, HeldException {
        Path root = new Path(stateDir);
        Path lock = new Path(root, "LOCK");
        FileSystem fs = lock.getFileSystem();
        fs.mkdirs(root);
        String holder = "run " + runId + ", pid " + ProcessHandle.current().pid() + " on " + host() + ", since "
                + clock.instant();
        if (!fs.isDistributedFS() && "file".equals(fs.getUri().getScheme())) {
            return local(java.nio.file.Path.of(lock.makeQualified(fs).toUri()), holder, stateDir);
        }
        return shared(fs, lock, holder, stateDir, clock);
    }

    private static StateLock local(java.nio.file.Path file, String holder, String stateDir) throws IOException, HeldException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String other = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw held(stateDir, other);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        FileLock held = lock;
        return new StateLock(() -> {
            channel.truncate(0);
            held.release();
            channel.close();
        });
    }

    static StateLock shared(FileSystem fs, Path lock, String holder, String stateDir, Clock clock)
            throws IOException, HeldException {
        if (fs.exists(lock)) {
            String[] other = read(fs, lock);
            Instant beat;
            try {
                beat = Instant.parse(other[0]);
            } catch (RuntimeException unreadable) {
                beat = Instant.EPOCH;
            }
            if (Duration.between(beat, clock.instant()).compareTo(STALE_AFTER) < 0) {
                throw held(stateDir, other[1]);
            }
        }
        write(fs, lock, holder, clock);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nightly-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                write(fs, lock, holder, clock);
            } catch (IOException ignored) {
                // the next beat tries again; a lock five minutes stale is taken over
            }
        }, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
        return new StateLock(() -> {
            heartbeat.shutdownNow();
            fs.delete(lock, false);
        });
    }

    private static HeldException held(String stateDir, String other) {
        return new HeldException("another nightly run is using " + stateDir + " (" + (other.isBlank() ? "holder unknown" : other)
                + "); wait for it to end. A run that died releases the lock with its process (on a shared file system"
                + " after " + STALE_AFTER.toMinutes() + " minutes without a heartbeat).");
    }

    private static void write(FileSystem fs, Path lock, String holder, Clock clock) throws IOException {
        try (OutputStream out = fs.create(lock, FileSystem.WriteMode.OVERWRITE)) {
            out.write((clock.instant() + "\n" + holder + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String[] read(FileSystem fs, Path lock) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(fs.open(lock), StandardCharsets.UTF_8))) {
            String beat = in.readLine();
            String holder = in.readLine();
            return new String[] {beat == null ? Instant.EPOCH.toString() : beat, holder == null ? "" : holder};
        } catch (RuntimeException unreadable) {
            return new String[] {Instant.EPOCH.toString(), ""};
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    @Override
    public void close() throws Exception {
        release.close();
    }
}

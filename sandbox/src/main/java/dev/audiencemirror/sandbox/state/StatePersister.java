package dev.audiencemirror.sandbox.state;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes the state file shortly after changes (at most once per interval) and once more on close.
 * Writing on every request would cap throughput at the disk's fsync rate.
 */
public final class StatePersister implements AutoCloseable {

    private final StateFile file;
    private final Supplier<StateFile.Snapshot> snapshot;
    private final long intervalMs;
    private final AtomicLong changes = new AtomicLong();
    private long saved;
    private ScheduledExecutorService flusher;
    private volatile IOException lastError;

    public StatePersister(StateFile file, Supplier<StateFile.Snapshot> snapshot, long intervalMs) {
        this.file = file;
        this.snapshot = snapshot;
        this.intervalMs = intervalMs;
    }

    public StateFile file() {
        return file;
    }

    public void markChanged() {
        changes.incrementAndGet();
    }

    public synchronized void start() {
        saved = changes.get();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-state-writer");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Writes the state now if it changed since the last write. */
    public synchronized void flush() throws IOException {
        long v = changes.get();
        if (v == saved) {
            return;
        }
        // Taken after reading the counter: a change racing with the snapshot bumps the counter
        // again and is written on the next round.
        file.save(snapshot.get());
        saved = v;
        lastError = null;
    }

    /** The last failed write, or null; kept so a failing disk shows up on /_sandbox/health. */
    public IOException lastError() {
        return lastError;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException | RuntimeException e) {
            lastError = e instanceof IOException ? (IOException) e : new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        ScheduledExecutorService f;
        synchronized (this) {
            f = flusher;
            flusher = null;
        }
        if (f != null) {
            f.shutdown();
            try {
                f.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }
}

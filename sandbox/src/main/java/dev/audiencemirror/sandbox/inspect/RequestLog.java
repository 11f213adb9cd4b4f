package dev.audiencemirror.sandbox.inspect;

import dev.audiencemirror.sandbox.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request log: a lock-free ring of the newest {@code capacity} entries. A reader asking for
 * entries after {@code since} gets a gap-free run: it stops before a sequence number whose writer
 * has not stored its entry yet, and picks it up on its next call.
 */
public final class RequestLog {

    /** Entries, the next {@code since} to ask with, and the first sequence number still held. */
    public record Page(List<LogEntry> entries, long nextSince, long firstAvailable) {}

    private final int capacity;
    private volatile Generation current;

    public RequestLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log capacity must be positive");
        }
        this.capacity = capacity;
        this.current = new Generation(capacity);
    }

    public LogEntry append(String method, String path, String endpoint, int status, boolean applied,
                           String note, List<Integer> applyOrder) {
        return append(method, path, endpoint, status, applied, note, applyOrder, null);
    }

    public LogEntry append(String method, String path, String endpoint, int status, boolean applied,
                           String note, List<Integer> applyOrder, Long operationVersion) {
        return append(method, path, endpoint, status, applied, note, applyOrder, operationVersion,
                System.currentTimeMillis());
    }

    /** @param arrivedMs when the request arrived; the entry's time is now, when it was decided or took effect */
    public LogEntry append(String method, String path, String endpoint, int status, boolean applied,
                           String note, List<Integer> applyOrder, Long operationVersion, long arrivedMs) {
        return append(method, path, endpoint, status, applied, note, applyOrder, operationVersion, arrivedMs, null);
    }

    /** @param rows for an applied segment batch, what each operation did (see {@link LogEntry}) */
    public LogEntry append(String method, String path, String endpoint, int status, boolean applied,
                           String note, List<Integer> applyOrder, Long operationVersion, long arrivedMs,
                           List<String> rows) {
        Generation g = current;
        long seq = g.seq.incrementAndGet();
        LogEntry e = new LogEntry(seq, System.currentTimeMillis(), method, path, endpoint, status, applied,
                note, applyOrder, operationVersion, arrivedMs, rows);
        g.ring.set((int) (seq % capacity), e);
        return e;
    }

    public Page since(long since, int limit) {
        Generation g = current;
        long last = g.seq.get();
        long first = Math.max(1, last - capacity + 1);
        long from = Math.max(since + 1, first);
        List<LogEntry> out = new ArrayList<>((int) Math.min(Math.max(0, last - from + 1), limit));
        long next = Math.max(since, from - 1);
        for (long s = from; s <= last && out.size() < limit; s++) {
            LogEntry e = g.ring.get((int) (s % capacity));
            if (e == null || e.seq() != s) {
                break;
            }
            out.add(e);
            next = s;
        }
        return new Page(out, next, first);
    }

    /** Starts a new log at sequence 1; a request still finishing may land in the discarded one. */
    public void clear() {
        current = new Generation(capacity);
    }

    private static final class Generation {
        final AtomicLong seq = new AtomicLong();
        final AtomicReferenceArray<LogEntry> ring;

        Generation(int capacity) {
            ring = new AtomicReferenceArray<>(capacity);
        }
    }
}

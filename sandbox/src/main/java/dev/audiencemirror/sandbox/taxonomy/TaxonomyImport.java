package dev.audiencemirror.sandbox.taxonomy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/** One audience import's segments, keyed by code. One batch at a time per import: the monitor orders them. */
public final class TaxonomyImport {

    /**
     * One page of segments, and whether more follow.
     *
     * @param updatedAt when each item was last created or updated, in the same order
     * @param total     how many segments the import holds
     */
    public record Page(List<Segment> items, List<Instant> updatedAt, boolean more, int total) {}

    private final String id;
    private final String name;
    private final TreeMap<String, Segment> segments = new TreeMap<>();
    /** Code → when last created or updated; not kept in the state file (a loaded segment is as of loading). */
    private final HashMap<String, Instant> updatedAt = new HashMap<>();
    private final Runnable onChange;

    TaxonomyImport(String id, String name, Collection<Segment> initial, Runnable onChange) {
        this.id = id;
        this.name = name == null ? id : name;
        this.onChange = onChange;
        Instant now = Instant.now();
        initial.forEach(s -> {
            segments.put(s.code(), s);
            updatedAt.put(s.code(), now);
        });
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /**
     * Applies the operations in {@code order} (indexes into {@code ops}); a row that cannot apply
     * (409 Create of an existing code, 404 Update/Delete of a missing one) is reported and skipped.
     * {@code underLock} runs before the import is released, so the next batch is logged after this one.
     */
    public synchronized BatchOutcome apply(List<SegmentOperation> ops, List<Integer> order,
                                           Consumer<BatchOutcome> underLock) {
        Segment[] items = new Segment[ops.size()];
        List<RowError> errors = new ArrayList<>();
        int created = 0;
        int updated = 0;
        int deleted = 0;
        for (int idx : order) {
            SegmentOperation op = ops.get(idx);
            String code = op.code();
            switch (op.kind()) {
                case CREATE:
                    if (segments.containsKey(code)) {
                        errors.add(new RowError(idx, code, 409, "segment code '" + code + "' already exists"));
                    } else {
                        segments.put(code, op.created());
                        updatedAt.put(code, Instant.now());
                        items[idx] = op.created();
                        created++;
                    }
                    break;
                case UPDATE:
                    Segment old = segments.get(code);
                    if (old == null) {
                        errors.add(new RowError(idx, code, 404, "segment code '" + code + "' not found"));
                    } else {
                        Segment now = op.update().apply(old);
                        segments.put(code, now);
                        updatedAt.put(code, Instant.now());
                        items[idx] = now;
                        updated++;
                    }
                    break;
                default:
                    if (segments.remove(code) == null) {
                        errors.add(new RowError(idx, code, 404, "segment code '" + code + "' not found"));
                    } else {
                        updatedAt.remove(code);
                        deleted++;
                    }
            }
        }
        errors.sort(Comparator.comparingInt(RowError::index));
        List<Segment> inRequestOrder = new ArrayList<>();
        for (Segment s : items) {
            if (s != null) {
                inRequestOrder.add(s);
            }
        }
        BatchOutcome outcome = new BatchOutcome(inRequestOrder, errors, created, updated, deleted);
        underLock.accept(outcome);
        if (created + updated + deleted > 0) {
            onChange.run();
        }
        return outcome;
    }

    /**
     * The published contract's batch: all or nothing. Every operation is first tried, in {@code order}, against
     * the import as the batch would leave it; if any cannot apply (Create of a code that exists: 409; Update or
     * Delete of one that does not: 404) nothing is applied and {@code errors} holds the failing operation with
     * the lowest request index, the one the answer names. Otherwise all are applied as of {@code now}, and
     * {@code underLock} runs before the import is released.
     */
    public synchronized BatchOutcome applyAll(List<SegmentOperation> ops, List<Integer> order, Instant now,
                                              Consumer<BatchOutcome> underLock) {
        // code → the segment after the batch so far; a null value is a code the batch deleted.
        Map<String, Segment> after = new HashMap<>();
        Segment[] items = new Segment[ops.size()];
        RowError first = null;
        int created = 0;
        int updated = 0;
        int deleted = 0;
        for (int idx : order) {
            SegmentOperation op = ops.get(idx);
            String code = op.code();
            Segment current = after.containsKey(code) ? after.get(code) : segments.get(code);
            RowError refused = null;
            switch (op.kind()) {
                case CREATE:
                    if (current != null) {
                        refused = new RowError(idx, code, 409, "segment code '" + code + "' already exists");
                    } else {
                        after.put(code, op.created());
                        items[idx] = op.created();
                        created++;
                    }
                    break;
                case UPDATE:
                    if (current == null) {
                        refused = new RowError(idx, code, 404, "segment code '" + code + "' does not exist");
                    } else {
                        items[idx] = op.update().apply(current);
                        after.put(code, items[idx]);
                        updated++;
                    }
                    break;
                default:
                    if (current == null) {
                        refused = new RowError(idx, code, 404, "segment code '" + code + "' does not exist");
                    } else {
                        after.put(code, null);
                        deleted++;
                    }
            }
            if (refused != null && (first == null || refused.index() < first.index())) {
                first = refused;
            }
        }
        if (first != null) {
            return new BatchOutcome(List.of(), List.of(first), 0, 0, 0);
        }
        after.forEach((code, s) -> {
            if (s == null) {
                segments.remove(code);
                updatedAt.remove(code);
            } else {
                segments.put(code, s);
                updatedAt.put(code, now);
            }
        });
        List<Segment> inRequestOrder = new ArrayList<>();
        for (Segment s : items) {
            if (s != null) {
                inRequestOrder.add(s);
            }
        }
        BatchOutcome outcome = new BatchOutcome(inRequestOrder, List.of(), created, updated, deleted);
        underLock.accept(outcome);
        if (!after.isEmpty()) {
            onChange.run();
        }
        return outcome;
    }

    /** Up to {@code limit} segments with codes after {@code afterCode} (null = from the start), by code. */
    public synchronized Page page(String afterCode, int limit) {
        NavigableMap<String, Segment> tail = afterCode == null ? segments : segments.tailMap(afterCode, false);
        List<Segment> items = new ArrayList<>(Math.min(limit, tail.size()));
        List<Instant> times = new ArrayList<>(Math.min(limit, tail.size()));
        for (Segment s : tail.values()) {
            if (items.size() == limit) {
                return new Page(items, times, true, segments.size());
            }
            items.add(s);
            times.add(updatedAt.get(s.code()));
        }
        return new Page(items, times, false, segments.size());
    }

    public synchronized SortedMap<String, Segment> segments() {
        return new TreeMap<>(segments);
    }

    public synchronized int size() {
        return segments.size();
    }
}

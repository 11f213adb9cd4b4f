package dev.audiencemirror.sandbox.taxonomy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/** One audience import's segments, keyed by code. One batch at a time per import: the monitor orders them. */
public final class TaxonomyImport {

    /** One page of segments, and whether more follow. */
    public record Page(List<Segment> items, boolean more) {}

    private final String id;
    private final String name;
    private final TreeMap<String, Segment> segments = new TreeMap<>();
    private final Runnable onChange;

    TaxonomyImport(String id, String name, Collection<Segment> initial, Runnable onChange) {
        this.id = id;
        this.name = name == null ? id : name;
        this.onChange = onChange;
        initial.forEach(s -> segments.put(s.code(), s));
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
                        items[idx] = now;
                        updated++;
                    }
                    break;
                default:
                    if (segments.remove(code) == null) {
                        errors.add(new RowError(idx, code, 404, "segment code '" + code + "' not found"));
                    } else {
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

    /** Up to {@code limit} segments with codes after {@code afterCode} (null = from the start), by code. */
    public synchronized Page page(String afterCode, int limit) {
        NavigableMap<String, Segment> tail = afterCode == null ? segments : segments.tailMap(afterCode, false);
        List<Segment> items = new ArrayList<>(Math.min(limit, tail.size()));
        for (Segment s : tail.values()) {
            if (items.size() == limit) {
                return new Page(items, true);
            }
            items.add(s);
        }
        return new Page(items, false);
    }

    public synchronized SortedMap<String, Segment> segments() {
        return new TreeMap<>(segments);
    }

    public synchronized int size() {
        return segments.size();
    }
}

package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SortedMap;
import java.util.SortedSet;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Deterministic random list operations: operation {@code i} depends only on the seed and {@code
 * i}, so a source can regenerate any suffix after a restore, and the test computes the expected
 * destination state independently of the sink.
 */
final class ListOperationGenerator implements GeneratorFunction<Long, ListOperation> {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final int contacts;
    private final long[] lists;

    ListOperationGenerator(long seed, int contacts, long... lists) {
        this.seed = seed;
        this.contacts = contacts;
        this.lists = lists.clone();
    }

    @Override
    public ListOperation map(Long index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        String contact = Long.toString(1_000 + r.nextInt(contacts));
        long list = lists[r.nextInt(lists.length)];
        ListAction action = r.nextInt(100) < 60 ? ListAction.ADD : ListAction.REMOVE;
        // Versions grow with the index, so they grow per key too.
        return new ListOperation(contact, list, action, 1_700_000_000_000L + index, index + 1);
    }

    List<ListOperation> first(int n) {
        List<ListOperation> out = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            out.add(map(i));
        }
        return out;
    }

    /** Contacts on each list once the first {@code n} operations are applied in order. */
    SortedMap<Long, SortedSet<Long>> expectedLists(int n) {
        Map<String, ListAction> last = new HashMap<>();
        for (ListOperation op : first(n)) {
            last.put(op.contactId() + "/" + op.listId(), op.action());
        }
        SortedMap<Long, SortedSet<Long>> expected = new TreeMap<>();
        for (long list : lists) {
            expected.put(list, new TreeSet<>());
        }
        last.forEach((key, action) -> {
            if (action == ListAction.ADD) {
                String[] parts = key.split("/");
                expected.get(Long.parseLong(parts[1])).add(Long.parseLong(parts[0]));
            }
        });
        return expected;
    }
}

package dev.audiencemirror.sandbox.adestra;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Adestra side's state: list → contacts. Each (list, contact) change runs under one of a fixed
 * set of striped locks, so changes to different contacts run in parallel while two requests on the
 * same (list, contact) are strictly ordered together with their log entries.
 */
public final class AdestraLists {

    /** What a POST or DELETE did. */
    public enum Result { ADDED, REMOVED, UNCHANGED, NO_LIST }

    private static final int STRIPES = 256;

    private final ConcurrentHashMap<Long, Set<Long>> lists = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];
    private final Runnable onChange;

    /** @param onChange run after every change of state, e.g. to schedule a state-file write */
    public AdestraLists(Runnable onChange) {
        this.onChange = onChange;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Adds or removes a contact. {@code underLock} runs while the (list, contact) lock is held,
     * after the change, unless the list does not exist.
     */
    public Result apply(long listId, long contactId, boolean add, Consumer<Result> underLock) {
        Set<Long> contacts = lists.get(listId);
        if (contacts == null) {
            return Result.NO_LIST;
        }
        Result result;
        synchronized (stripes[stripe(listId, contactId)]) {
            boolean changed = add ? contacts.add(contactId) : contacts.remove(contactId);
            result = !changed ? Result.UNCHANGED : add ? Result.ADDED : Result.REMOVED;
            underLock.accept(result);
        }
        if (result != Result.UNCHANGED) {
            onChange.run();
        }
        return result;
    }

    /** Creates an empty list unless it exists; true if it was created. */
    public boolean create(long listId) {
        boolean created = lists.putIfAbsent(listId, ConcurrentHashMap.newKeySet()) == null;
        if (created) {
            onChange.run();
        }
        return created;
    }

    /** Creates the list or replaces its contacts; true if it was created. */
    public boolean put(long listId, Collection<Long> contacts) {
        Set<Long> fresh = ConcurrentHashMap.newKeySet();
        fresh.addAll(contacts);
        boolean created = lists.put(listId, fresh) == null;
        onChange.run();
        return created;
    }

    public boolean delete(long listId) {
        boolean deleted = lists.remove(listId) != null;
        if (deleted) {
            onChange.run();
        }
        return deleted;
    }

    /** The list's contacts sorted, or null if there is no such list. */
    public SortedSet<Long> contacts(long listId) {
        Set<Long> contacts = lists.get(listId);
        return contacts == null ? null : new TreeSet<>(contacts);
    }

    /** List id → number of contacts, sorted by id. */
    public Map<Long, Integer> sizes() {
        Map<Long, Integer> out = new TreeMap<>();
        lists.forEach((id, c) -> out.put(id, c.size()));
        return out;
    }

    /** A copy of the whole state, sorted, for the state file. */
    public Map<Long, List<Long>> snapshot() {
        Map<Long, List<Long>> out = new TreeMap<>();
        lists.forEach((id, c) -> out.put(id, List.copyOf(new TreeSet<>(c))));
        return out;
    }

    /** Replaces the whole state. */
    public void restore(Map<Long, ? extends Collection<Long>> state) {
        lists.clear();
        state.forEach(this::put);
    }

    private static int stripe(long listId, long contactId) {
        long h = listId * 0x9E3779B97F4A7C15L ^ contactId * 0xC2B2AE3D27D4EB4FL;
        return (int) ((h ^ (h >>> 29)) & (STRIPES - 1));
    }
}

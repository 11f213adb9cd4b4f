package dev.audiencemirror.nightly;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The (contact, list) pairs of one contact as the inputs see them, per list a set of flags: in
 * today's target audience, in the last synced snapshot, named by an unfinished push or a refused
 * operation (its state on the list unknown), held by a user whose line could not be read. The diff
 * is keyed by contact and ORs the flags of each pair together ({@link #merge}); one record per
 * contact rather than per pair keeps the diff's shuffle to a few records per contact.
 *
 * <p>Immutable: the arrays are never changed after construction, and {@code lists} is ascending
 * without repeats.
 */
@TypeInfo(ContactFlagsTypeInfoFactory.class)
public final class ContactFlags {
    public static final int TARGET = 1;
    public static final int SYNCED = 2;
    public static final int UNCERTAIN = 4;
    public static final int HELD = 8;

    private final String contactId;
    private final long[] lists;
    private final byte[] flags;

    ContactFlags(String contactId, long[] lists, byte[] flags) {
        this.contactId = contactId;
        this.lists = lists;
        this.flags = flags;
    }

    static ContactFlags of(String contactId, long list, int flags) {
        return new ContactFlags(contactId, new long[] {list}, new byte[] {(byte) flags});
    }

    /** {@code lists} (any order, repeats allowed), each with {@code flags}. */
    static ContactFlags of(String contactId, Collection<Long> lists, int flags) {
        long[] all = new long[lists.size()];
        int i = 0;
        for (Long l : lists) {
            all[i++] = l;
        }
        Arrays.sort(all);
        int n = 0;
        for (int j = 0; j < all.length; j++) {
            if (j == 0 || all[j] != all[j - 1]) {
                all[n++] = all[j];
            }
        }
        long[] sorted = n == all.length ? all : Arrays.copyOf(all, n);
        byte[] f = new byte[sorted.length];
        Arrays.fill(f, (byte) flags);
        return new ContactFlags(contactId, sorted, f);
    }

    /** A snapshot line, {@code contactId,listId}, as a pair with {@code flags}. */
    static ContactFlags ofKey(String key, int flags) {
        int comma = key.lastIndexOf(',');
        return of(key.substring(0, comma), Long.parseLong(key.substring(comma + 1).strip()), flags);
    }

    public String contactId() {
        return contactId;
    }

    int size() {
        return lists.length;
    }

    long listId(int i) {
        return lists[i];
    }

    int flags(int i) {
        return flags[i];
    }

    /** Both records' pairs, the flags of a pair in both ORed; the other record is of the same contact. */
    ContactFlags merge(ContactFlags other) {
        long[] a = lists;
        long[] b = other.lists;
        long[] outLists = new long[a.length + b.length];
        byte[] outFlags = new byte[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            if (j == b.length || (i < a.length && a[i] < b[j])) {
                outLists[n] = a[i];
                outFlags[n++] = flags[i++];
            } else if (i == a.length || b[j] < a[i]) {
                outLists[n] = b[j];
                outFlags[n++] = other.flags[j++];
            } else {
                outLists[n] = a[i];
                outFlags[n++] = (byte) (flags[i++] | other.flags[j++]);
            }
        }
        return n == outLists.length ? new ContactFlags(contactId, outLists, outFlags)
                : new ContactFlags(contactId, Arrays.copyOf(outLists, n), Arrays.copyOf(outFlags, n));
    }

    /** {@code a} and {@code b} merged when they are of one contact, else null ({@link ConsecutiveMerge}). */
    static ContactFlags mergeIfSameContact(ContactFlags a, ContactFlags b) {
        return a.contactId.equals(b.contactId) ? a.merge(b) : null;
    }

    /** This record without the pairs of {@code excluded} lists; null when none is left. */
    ContactFlags without(Set<Long> excluded) {
        int kept = 0;
        for (long l : lists) {
            kept += excluded.contains(l) ? 0 : 1;
        }
        if (kept == lists.length) {
            return this;
        }
        if (kept == 0) {
            return null;
        }
        long[] l2 = new long[kept];
        byte[] f2 = new byte[kept];
        int n = 0;
        for (int i = 0; i < lists.length; i++) {
            if (!excluded.contains(lists[i])) {
                l2[n] = lists[i];
                f2[n++] = flags[i];
            }
        }
        return new ContactFlags(contactId, l2, f2);
    }

    /** Pair {@code i} as a snapshot line, {@code contactId,listId}. */
    String key(int i) {
        return contactId + "," + lists[i];
    }

    long[] lists() {
        return lists;
    }

    byte[] flagBytes() {
        return flags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContactFlags c && contactId.equals(c.contactId) && Arrays.equals(lists, c.lists)
                && Arrays.equals(flags, c.flags);
    }

    @Override
    public int hashCode() {
        return contactId.hashCode() * 31 + Arrays.hashCode(lists);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(contactId).append('{');
        for (int i = 0; i < lists.length; i++) {
            s.append(i == 0 ? "" : ", ").append(lists[i]).append('=').append(flags[i]);
        }
        return s.append('}').toString();
    }
}

package dev.audiencemirror.nightly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Merging the pairs of one contact, against a model that ORs the flags of each (contact, list)
 * pair: records in random order and runs, merged directly and after {@link ConsecutiveMerge}.
 */
class ContactFlagsTest {
    private static final int[] FLAGS = {ContactFlags.TARGET, ContactFlags.SYNCED, ContactFlags.UNCERTAIN, ContactFlags.HELD};

    @Test
    void mergingAndCombiningGiveEachPairTheOrOfItsFlags() throws Exception {
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            List<ContactFlags> records = new ArrayList<>();
            Map<String, TreeMap<Long, Integer>> model = new TreeMap<>();
            for (int i = 0, n = 1 + r.nextInt(60); i < n; i++) {
                String contact = "c" + r.nextInt(5);
                List<Long> lists = new ArrayList<>();
                for (int k = 0, m = 1 + r.nextInt(4); k < m; k++) {
                    lists.add(678L + r.nextInt(6));
                }
                int flags = FLAGS[r.nextInt(FLAGS.length)] | (r.nextInt(4) == 0 ? FLAGS[r.nextInt(FLAGS.length)] : 0);
                records.add(ContactFlags.of(contact, lists, flags));
                lists.forEach(l -> model.computeIfAbsent(contact, c -> new TreeMap<>()).merge(l, flags, (a, b) -> a | b));
            }
            if (r.nextBoolean()) {
                records.sort((a, b) -> a.contactId().compareTo(b.contactId())); // as a snapshot comes back: a contact at a time
            } else {
                Collections.shuffle(records, r);
            }
            assertThat(asModel(merged(records))).as("seed %d, merged", seed).isEqualTo(model);
            assertThat(asModel(merged(combined(records)))).as("seed %d, combined then merged", seed).isEqualTo(model);
        }
    }

    @Test
    void combiningASnapshotOrderLeavesOneRecordPerContact() throws Exception {
        List<ContactFlags> lines = List.of(ContactFlags.of("1", 678, ContactFlags.SYNCED), ContactFlags.of("1", 679, ContactFlags.SYNCED),
                ContactFlags.of("2", 678, ContactFlags.SYNCED), ContactFlags.of("1", 680, ContactFlags.SYNCED));
        assertThat(combined(lines)).containsExactly(ContactFlags.of("1", List.of(678L, 679L), ContactFlags.SYNCED),
                ContactFlags.of("2", 678, ContactFlags.SYNCED), ContactFlags.of("1", 680, ContactFlags.SYNCED));
    }

    @Test
    void withoutDropsTheListsOfTheStreamingJob() {
        ContactFlags c = ContactFlags.of("1", List.of(678L, 679L, 680L), ContactFlags.TARGET);
        assertThat(c.without(Set.of(679L))).isEqualTo(ContactFlags.of("1", List.of(678L, 680L), ContactFlags.TARGET));
        assertThat(c.without(Set.of(1L))).isSameAs(c);
        assertThat(c.without(Set.of(678L, 679L, 680L))).isNull();
    }

    private static Map<String, ContactFlags> merged(List<ContactFlags> records) {
        Map<String, ContactFlags> out = new HashMap<>();
        records.forEach(c -> out.merge(c.contactId(), c, ContactFlags::merge));
        return out;
    }

    private static Map<String, TreeMap<Long, Integer>> asModel(Map<String, ContactFlags> merged) {
        Map<String, TreeMap<Long, Integer>> out = new TreeMap<>();
        merged.forEach((contact, c) -> {
            TreeMap<Long, Integer> lists = new TreeMap<>();
            for (int i = 0; i < c.size(); i++) {
                assertThat(lists.put(c.listId(i), c.flags(i))).as("list %d once", c.listId(i)).isNull();
                if (i > 0) {
                    assertThat(c.listId(i)).isGreaterThan(c.listId(i - 1));
                }
            }
            out.put(contact, lists);
        });
        return out;
    }

    private static List<ContactFlags> combined(List<ContactFlags> records) throws Exception {
        try (OneInputStreamOperatorTestHarness<ContactFlags, ContactFlags> h =
                new OneInputStreamOperatorTestHarness<>(new ConsecutiveMerge<>(ContactFlags::mergeIfSameContact))) {
            h.open();
            for (ContactFlags c : records) {
                h.processElement(new StreamRecord<>(c));
            }
            h.endInput();
            return new ArrayList<>(h.extractOutputValues());
        }
    }
}

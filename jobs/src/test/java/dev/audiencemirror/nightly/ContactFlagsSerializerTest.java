package dev.audiencemirror.nightly;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (copy, round trip, snapshot and restore, duplicate) for {@link ContactFlags}. */
class ContactFlagsSerializerTest extends SerializerTestBase<ContactFlags> {

    @Override
    protected TypeSerializer<ContactFlags> createSerializer() {
        return ContactFlagsSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ContactFlags> getTypeClass() {
        return ContactFlags.class;
    }

    @Override
    protected ContactFlags[] getTestData() {
        return new ContactFlags[] {
            ContactFlags.of("4711", 678, ContactFlags.TARGET),
            ContactFlags.of("4711", java.util.List.of(684L, 678L, 679L, 678L), ContactFlags.SYNCED | ContactFlags.HELD),
            ContactFlags.of("ü", Long.MAX_VALUE, ContactFlags.UNCERTAIN),
            new ContactFlags("", new long[0], new byte[0])
        };
    }
}

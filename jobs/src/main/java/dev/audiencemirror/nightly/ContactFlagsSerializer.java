package dev.audiencemirror.nightly;

import dev.audiencemirror.serialization.FieldCodec;
import dev.audiencemirror.serialization.ImmutableValueSerializer;
import dev.audiencemirror.serialization.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ContactFlags}, the records of the plan job's diff shuffle (never in a
 * savepoint: the plan job is a batch job). Format v1: contact ID, pair count ({@link
 * FieldCodec#writeCount}), then per pair list ID and flags (one byte).
 */
public final class ContactFlagsSerializer extends ImmutableValueSerializer<ContactFlags> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final ContactFlagsSerializer INSTANCE = new ContactFlagsSerializer();

    private ContactFlagsSerializer() {}

    @Override
    public ContactFlags createInstance() {
        return new ContactFlags("", new long[0], new byte[0]);
    }

    @Override
    public void serialize(ContactFlags c, DataOutputView out) throws IOException {
        FieldCodec.writeString(c.contactId(), out);
        long[] lists = c.lists();
        byte[] flags = c.flagBytes();
        FieldCodec.writeCount(lists.length, out);
        for (int i = 0; i < lists.length; i++) {
            out.writeLong(lists[i]);
            out.writeByte(flags[i]);
        }
    }

    @Override
    public ContactFlags deserialize(DataInputView in) throws IOException {
        String contact = FieldCodec.readRequiredString(in, "ContactFlags.contactId");
        int n = FieldCodec.readCount(in, "ContactFlags.lists");
        long[] lists = new long[n];
        byte[] flags = new byte[n];
        for (int i = 0; i < n; i++) {
            lists[i] = in.readLong();
            flags[i] = in.readByte();
        }
        return new ContactFlags(contact, lists, flags);
    }

    @Override
    public TypeSerializerSnapshot<ContactFlags> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    public static final class Snapshot extends VersionedSerializerSnapshot<ContactFlags> {
        public Snapshot() {
            super("ContactFlags", VERSION);
        }

        @Override
        protected TypeSerializer<ContactFlags> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

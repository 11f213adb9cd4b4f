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
 * Serializer of {@link UserInput}, the records of the plan job's join shuffle (never in a
 * savepoint: the plan job is a batch job). Format v1: kind, user key ({@link FieldCodec#writeUserKey}),
 * then only the kind's fields: identity: contact ID (nullable), time, source, line; membership:
 * lists (a count, then each); previous: contact ID, lists; cohort and handed off: cohort; held: nothing.
 */
public final class UserInputSerializer extends ImmutableValueSerializer<UserInput> {
    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final UserInputSerializer INSTANCE = new UserInputSerializer();

    private UserInputSerializer() {}

    @Override
    public UserInput createInstance() {
        return UserInput.held("", UserInput.HELD_IDENTITY);
    }

    @Override
    public void serialize(UserInput in, DataOutputView out) throws IOException {
        out.writeByte(in.kind());
        FieldCodec.writeUserKey(in.userId(), out);
        switch (in.kind()) {
            case UserInput.IDENTITY -> {
                FieldCodec.writeString(in.contactId(), out);
                FieldCodec.writeInstant(in.time(), out);
                FieldCodec.writeString(in.source(), out);
                out.writeLong(in.line());
            }
            case UserInput.MEMBERSHIP -> writeLists(in.lists(), out);
            case UserInput.PREVIOUS -> {
                FieldCodec.writeString(in.contactId(), out);
                writeLists(in.lists(), out);
            }
            case UserInput.COHORT, UserInput.HANDED_OFF -> FieldCodec.writeString(in.cohort(), out);
            case UserInput.HELD_IDENTITY, UserInput.HELD_MEMBERSHIP -> { }
            default -> throw new IllegalArgumentException("unknown user input kind " + in.kind());
        }
    }

    @Override
    public UserInput deserialize(DataInputView in) throws IOException {
        byte kind = in.readByte();
        String user = FieldCodec.readUserKey(in, "UserInput.userId");
        return switch (kind) {
            case UserInput.IDENTITY -> UserInput.identity(user, FieldCodec.readString(in), FieldCodec.readInstant(in),
                    FieldCodec.readString(in), in.readLong());
            case UserInput.MEMBERSHIP -> UserInput.memberships(user, readLists(in));
            case UserInput.PREVIOUS -> UserInput.previous(user, FieldCodec.readRequiredString(in, "UserInput.contactId"),
                    readLists(in));
            case UserInput.COHORT -> UserInput.cohort(user, FieldCodec.readRequiredString(in, "UserInput.cohort"));
            case UserInput.HANDED_OFF -> UserInput.handedOff(user, FieldCodec.readRequiredString(in, "UserInput.cohort"));
            case UserInput.HELD_IDENTITY, UserInput.HELD_MEMBERSHIP -> UserInput.held(user, kind);
            default -> throw new IOException("corrupt record: user input kind " + kind);
        };
    }

    private static void writeLists(long[] lists, DataOutputView out) throws IOException {
        FieldCodec.writeCount(lists.length, out);
        for (long l : lists) {
            out.writeLong(l);
        }
    }

    private static long[] readLists(DataInputView in) throws IOException {
        long[] lists = new long[FieldCodec.readCount(in, "UserInput.lists")];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = in.readLong();
        }
        return lists;
    }

    @Override
    public TypeSerializerSnapshot<UserInput> snapshotConfiguration() {
        return new Snapshot();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    public static final class Snapshot extends VersionedSerializerSnapshot<UserInput> {
        public Snapshot() {
            super("UserInput", VERSION);
        }

        @Override
        protected TypeSerializer<UserInput> serializerForVersion(int version) {
            return version == 1 ? INSTANCE : null;
        }
    }
}

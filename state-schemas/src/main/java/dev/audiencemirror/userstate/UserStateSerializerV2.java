package dev.audiencemirror.userstate;

import dev.audiencemirror.serialization.ImmutableValueSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Reader of {@link UserState} format v2: v3 without the writing run at the end (read as none, so
 * the first record after the restore re-asserts the user's lists). The layout is
 * {@link UserStateSerializer}'s, which writes both; {@code FrozenFormatTest} pins the bytes of
 * each. Only {@link UserStateSerializer.Snapshot} returns it.
 */
public final class UserStateSerializerV2 extends ImmutableValueSerializer<UserState> {
    private static final long serialVersionUID = 1L;

    static final UserStateSerializerV2 INSTANCE = new UserStateSerializerV2();

    private UserStateSerializerV2() {}

    @Override
    public UserState createInstance() {
        return UserState.EMPTY;
    }

    @Override
    public void serialize(UserState s, DataOutputView out) throws IOException {
        UserStateSerializer.write(s, out, false);
    }

    @Override
    public UserState deserialize(DataInputView in) throws IOException {
        return UserStateSerializer.read(in, false);
    }

    @Override
    public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
        throw new UnsupportedOperationException("format v2 is read only; UserStateSerializer writes the current format");
    }

    private Object readResolve() {
        return INSTANCE;
    }
}

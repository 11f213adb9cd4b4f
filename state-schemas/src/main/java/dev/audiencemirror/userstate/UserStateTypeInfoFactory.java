package dev.audiencemirror.userstate;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link UserStateSerializer} for {@link UserState}. */
public final class UserStateTypeInfoFactory extends TypeInfoFactory<UserState> {
    @Override
    public TypeInformation<UserState> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(UserState.class, UserStateSerializer.INSTANCE, false);
    }
}

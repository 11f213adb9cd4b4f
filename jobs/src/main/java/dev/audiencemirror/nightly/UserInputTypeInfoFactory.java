package dev.audiencemirror.nightly;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link UserInputSerializer} for {@link UserInput}. */
public final class UserInputTypeInfoFactory extends TypeInfoFactory<UserInput> {
    @Override
    public TypeInformation<UserInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(UserInput.class, UserInputSerializer.INSTANCE, false);
    }
}

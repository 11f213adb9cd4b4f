package dev.audiencemirror.identity;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link PositionedIdentitySerializer} for {@link PositionedIdentity}. */
public final class PositionedIdentityTypeInfoFactory extends TypeInfoFactory<PositionedIdentity> {
    @Override
    public TypeInformation<PositionedIdentity> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(PositionedIdentity.class, PositionedIdentitySerializer.INSTANCE, false);
    }
}

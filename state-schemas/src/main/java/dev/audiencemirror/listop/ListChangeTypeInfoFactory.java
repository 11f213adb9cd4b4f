package dev.audiencemirror.listop;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ListChangeSerializer} for {@link ListChange}. */
public final class ListChangeTypeInfoFactory extends TypeInfoFactory<ListChange> {
    @Override
    public TypeInformation<ListChange> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ListChange.class, ListChangeSerializer.INSTANCE, false);
    }
}

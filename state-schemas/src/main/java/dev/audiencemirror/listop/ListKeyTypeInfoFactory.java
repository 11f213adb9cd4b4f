package dev.audiencemirror.listop;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ListKeySerializer} for {@link ListKey}. */
public final class ListKeyTypeInfoFactory extends TypeInfoFactory<ListKey> {
    @Override
    public TypeInformation<ListKey> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ListKey.class, ListKeySerializer.INSTANCE, true);
    }
}

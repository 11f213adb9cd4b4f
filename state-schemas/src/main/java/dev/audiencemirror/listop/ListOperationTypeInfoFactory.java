package dev.audiencemirror.listop;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ListOperationSerializer} for {@link ListOperation}. */
public final class ListOperationTypeInfoFactory extends TypeInfoFactory<ListOperation> {
    @Override
    public TypeInformation<ListOperation> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ListOperation.class, ListOperationSerializer.INSTANCE, false);
    }
}

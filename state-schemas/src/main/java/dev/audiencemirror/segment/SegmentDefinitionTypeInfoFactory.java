package dev.audiencemirror.segment;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link SegmentDefinitionSerializer} for {@link SegmentDefinition}. */
public final class SegmentDefinitionTypeInfoFactory extends TypeInfoFactory<SegmentDefinition> {
    @Override
    public TypeInformation<SegmentDefinition> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(SegmentDefinition.class, SegmentDefinitionSerializer.INSTANCE, false);
    }
}

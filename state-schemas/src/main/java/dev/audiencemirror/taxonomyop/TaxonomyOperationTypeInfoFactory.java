package dev.audiencemirror.taxonomyop;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link TaxonomyOperationSerializer} for {@link TaxonomyOperation}. */
public final class TaxonomyOperationTypeInfoFactory extends TypeInfoFactory<TaxonomyOperation> {
    @Override
    public TypeInformation<TaxonomyOperation> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(TaxonomyOperation.class, TaxonomyOperationSerializer.INSTANCE, false);
    }
}

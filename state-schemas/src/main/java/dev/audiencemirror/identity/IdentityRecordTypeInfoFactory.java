package dev.audiencemirror.identity;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link IdentityRecordSerializer} for {@link IdentityRecord}. */
public final class IdentityRecordTypeInfoFactory extends TypeInfoFactory<IdentityRecord> {
    @Override
    public TypeInformation<IdentityRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(IdentityRecord.class, IdentityRecordSerializer.INSTANCE, false);
    }
}

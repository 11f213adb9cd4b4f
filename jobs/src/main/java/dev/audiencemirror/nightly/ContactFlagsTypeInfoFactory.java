package dev.audiencemirror.nightly;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ContactFlagsSerializer} for {@link ContactFlags}. */
public final class ContactFlagsTypeInfoFactory extends TypeInfoFactory<ContactFlags> {
    @Override
    public TypeInformation<ContactFlags> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ContactFlags.class, ContactFlagsSerializer.INSTANCE, false);
    }
}

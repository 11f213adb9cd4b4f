package dev.audiencemirror.membership;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link MembershipRowSerializer} for {@link MembershipRow}. */
public final class MembershipRowTypeInfoFactory extends TypeInfoFactory<MembershipRow> {
    @Override
    public TypeInformation<MembershipRow> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(MembershipRow.class, MembershipRowSerializer.INSTANCE, true);
    }
}

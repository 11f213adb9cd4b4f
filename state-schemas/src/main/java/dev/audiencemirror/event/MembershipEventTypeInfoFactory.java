package dev.audiencemirror.event;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link MembershipEventSerializer} for {@link MembershipEvent}. */
public final class MembershipEventTypeInfoFactory extends TypeInfoFactory<MembershipEvent> {
    @Override
    public TypeInformation<MembershipEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(MembershipEvent.class, MembershipEventSerializer.INSTANCE, false);
    }
}

package dev.audiencemirror.listsync;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ListSyncStateSerializer} for {@link ListSyncState}. */
public final class ListSyncStateTypeInfoFactory extends TypeInfoFactory<ListSyncState> {
    @Override
    public TypeInformation<ListSyncState> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ListSyncState.class, ListSyncStateSerializer.INSTANCE, false);
    }
}

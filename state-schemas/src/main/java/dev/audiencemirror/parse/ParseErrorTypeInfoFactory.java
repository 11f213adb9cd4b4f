package dev.audiencemirror.parse;

import dev.audiencemirror.serialization.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link ParseErrorSerializer} for {@link ParseError}. */
public final class ParseErrorTypeInfoFactory extends TypeInfoFactory<ParseError> {
    @Override
    public TypeInformation<ParseError> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(ParseError.class, ParseErrorSerializer.INSTANCE, false);
    }
}

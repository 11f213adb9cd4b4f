package dev.audiencemirror.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.event.MembershipEventSerializer;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.IdentityRecordSerializer;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListChangeSerializer;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListKeySerializer;
import dev.audiencemirror.listop.ListOperation;
import dev.audiencemirror.listop.ListOperationSerializer;
import dev.audiencemirror.listsync.ListSyncState;
import dev.audiencemirror.listsync.ListSyncStateSerializer;
import dev.audiencemirror.membership.MembershipRow;
import dev.audiencemirror.membership.MembershipRowSerializer;
import dev.audiencemirror.parse.ParseError;
import dev.audiencemirror.parse.ParseErrorSerializer;
import dev.audiencemirror.segment.SegmentDefinition;
import dev.audiencemirror.segment.SegmentDefinitionSerializer;
import dev.audiencemirror.taxonomyop.TaxonomyOperation;
import dev.audiencemirror.taxonomyop.TaxonomyOperationSerializer;
import dev.audiencemirror.userstate.UserState;
import dev.audiencemirror.userstate.UserStateSerializer;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type that flows through Flink or sits in state gets our serializer, never Kryo. */
class TypeInfoTest {

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of(ListOperation.class, ListOperationSerializer.INSTANCE, false),
                Arguments.of(ListKey.class, ListKeySerializer.INSTANCE, true),
                Arguments.of(TaxonomyOperation.class, TaxonomyOperationSerializer.INSTANCE, false),
                Arguments.of(SegmentDefinition.class, SegmentDefinitionSerializer.INSTANCE, false),
                Arguments.of(IdentityRecord.class, IdentityRecordSerializer.INSTANCE, false),
                Arguments.of(MembershipEvent.class, MembershipEventSerializer.INSTANCE, false),
                Arguments.of(MembershipRow.class, MembershipRowSerializer.INSTANCE, true),
                Arguments.of(ParseError.class, ParseErrorSerializer.INSTANCE, false),
                Arguments.of(ListChange.class, ListChangeSerializer.INSTANCE, false),
                Arguments.of(ListSyncState.class, ListSyncStateSerializer.INSTANCE, false),
                Arguments.of(UserState.class, UserStateSerializer.INSTANCE, false),
                Arguments.of(dev.audiencemirror.identity.PositionedIdentity.class,
                        dev.audiencemirror.identity.PositionedIdentitySerializer.INSTANCE, false));
    }

    @ParameterizedTest
    @MethodSource("types")
    void typeInformationUsesOurSerializerWithGenericTypesDisabled(
            Class<?> type, TypeSerializer<?> expected, boolean keyType) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isNotInstanceOf(GenericTypeInfo.class).isInstanceOf(SerializerTypeInfo.class);
        assertThat(info.getTypeClass()).isEqualTo(type);
        assertThat(info.isKeyType()).isEqualTo(keyType);

        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertThat(info.createSerializer(config)).isSameAs(expected);
        assertThat(info.createSerializer(config).snapshotConfiguration())
                .isInstanceOf(VersionedSerializerSnapshot.class);
    }
}

package dev.audiencemirror.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.event.MembershipEventSerializer;
import dev.audiencemirror.identity.Alias;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.IdentityRecordSerializer;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.identity.PositionedIdentitySerializer;
import dev.audiencemirror.listop.ListAction;
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
import dev.audiencemirror.userstate.CohortMark;
import dev.audiencemirror.userstate.UserState;
import dev.audiencemirror.userstate.UserStateSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes of each format version, as stored in savepoints. A change to a serializer that alters
 * its bytes fails here: bump the version and add a row (SERIALIZERS.md) instead of editing one.
 * Rows for old versions stay, proving that this build still reads them.
 */
class FrozenFormatTest {

    record Frozen<T>(TypeSerializer<T> current, int currentVersion, int version, T value, String hex) {
        @Override
        public String toString() {
            return value.getClass().getSimpleName() + " v" + version;
        }
    }

    private static final Instant T = Instant.parse("2026-11-27T05:00:00.5Z");
    private static final SegmentDefinition SPORTS = new SegmentDefinition("sports", "Sports", "d", 1.5, List.of("a"));

    static Stream<Frozen<?>> formats() {
        return Stream.of(
                new Frozen<>(ListOperationSerializer.INSTANCE, ListOperationSerializer.VERSION, 1,
                        new ListOperation("4711", 678, ListAction.REMOVE, 1000, 3), "053437313100000000000002a60200000000000003e80000000000000003"),
                new Frozen<>(ListKeySerializer.INSTANCE, ListKeySerializer.VERSION, 1,
                        new ListKey("4711", 678), "053437313100000000000002a6"),
                new Frozen<>(TaxonomyOperationSerializer.INSTANCE, TaxonomyOperationSerializer.VERSION, 1,
                        TaxonomyOperation.update(SPORTS, 2), "020773706f7274730000000000000002010773706f7274730753706f7274730264013ff8000000000000000000010261"),
                new Frozen<>(SegmentDefinitionSerializer.INSTANCE, SegmentDefinitionSerializer.VERSION, 1,
                        SPORTS, "0773706f7274730753706f7274730264013ff8000000000000000000010261"),
                new Frozen<>(IdentityRecordSerializer.INSTANCE, IdentityRecordSerializer.VERSION, 1,
                        new IdentityRecord("u1", List.of(new Alias("adestra", "4711", 0)), T), "037531000000010861646573747261053437313100000000000000006b090e501dcd6500"),
                new Frozen<>(MembershipEventSerializer.INSTANCE, MembershipEventSerializer.VERSION, 1,
                        MembershipEvent.forAlias("adestra", "4711", "1001", false, T), "0008616465737472610534373131053130303100000000006b090e501dcd6500"),
                new Frozen<>(MembershipRowSerializer.INSTANCE, MembershipRowSerializer.VERSION, 1,
                        new MembershipRow("u1", "1001"), "0375310531303031"),
                new Frozen<>(ParseErrorSerializer.INSTANCE, ParseErrorSerializer.VERSION, 1,
                        new ParseError("f", 7, "time", "bad", "{}"), "026600000000000000070574696d6504626164037b7d"),
                new Frozen<>(ListChangeSerializer.INSTANCE, ListChangeSerializer.VERSION, 1,
                        new ListChange("4711", 678, "", ListAction.REMOVE, 1000), "053437313100000000000002a60200000000000003e8"),
                new Frozen<>(ListChangeSerializer.INSTANCE, ListChangeSerializer.VERSION, 2,
                        new ListChange("4711", 678, "u1", ListAction.REMOVE, 1000), "053437313100000000000002a60375310200000000000003e8"),
                new Frozen<>(PositionedIdentitySerializer.INSTANCE, PositionedIdentitySerializer.VERSION, 1,
                        new PositionedIdentity(new IdentityRecord("u1", List.of(new Alias("adestra", "4711", 0)), T), "f", 7),
                        "02660000000000000007037531000000010861646573747261053437313100000000000000006b090e501dcd6500"),
                new Frozen<>(ListSyncStateSerializer.INSTANCE, ListSyncStateSerializer.VERSION, 1,
                        new ListSyncState(ListAction.ADD, 5, 7, ListAction.REMOVE, 1000, ListSyncState.NO_HOLDERS),
                        "01000000000000000500000000000000070200000000000003e8"),
                new Frozen<>(ListSyncStateSerializer.INSTANCE, ListSyncStateSerializer.VERSION, 2,
                        new ListSyncState(ListAction.ADD, 5, 7, ListAction.REMOVE, 1000,
                                List.of("0f8fad5b-d9cb-469f-a165-70867728950e", "u2")),
                        "01000000000000000500000000000000070200000000000003e802010f8fad5bd9cb469fa16570867728950e00037532"),
                new Frozen<>(UserStateSerializer.INSTANCE, UserStateSerializer.VERSION, 1,
                        new UserState("4711", T, null, 0, new TreeMap<>(Map.of("1001", new CohortMark(true, T))), 2000, 3000),
                        "053437313101000000006b090e501dcd650000000001053130303101000000006b090e501dcd650000000000000007d00000000000000bb8"),
                new Frozen<>(UserStateSerializer.INSTANCE, UserStateSerializer.VERSION, 2,
                        new UserState("4711", T, "f", 7, new TreeMap<>(Map.of("1001", new CohortMark(true, T))), 2000, 3000),
                        "053437313101000000006b090e501dcd65000266000000000000000700000001053130303101000000006b090e501dcd650000000000000007d00000000000000bb8"),
                new Frozen<>(UserStateSerializer.INSTANCE, UserStateSerializer.VERSION, 3,
                        new UserState("4711", T, "f", 7, new TreeMap<>(Map.of("1001", new CohortMark(true, T))), 2000, 3000, 9),
                        "053437313101000000006b090e501dcd65000266000000000000000700000001053130303101000000006b090e501dcd650000000000000007d00000000000000bb80000000000000009"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    <T> void currentFormatWritesTheFrozenBytes(Frozen<T> f) throws IOException {
        if (f.version() != f.currentVersion()) {
            return; // an old format: only reading is checked
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        f.current().serialize(f.value(), out);
        assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer()))
                .as("%s bytes changed: bump its VERSION and keep reading v%d (SERIALIZERS.md)", f, f.version())
                .isEqualTo(f.hex());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    <T> void everyFrozenVersionIsStillReadAfterRestore(Frozen<T> f) throws IOException {
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(f.current().snapshotConfiguration().getClass().getName());
        snapshotBytes.writeInt(f.version());
        TypeSerializerSnapshot<T> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());

        T read = restored.restoreSerializer().deserialize(new DataInputDeserializer(HexFormat.of().parseHex(f.hex())));
        assertThat(read).isEqualTo(f.value());
        assertThat(f.current().snapshotConfiguration().resolveSchemaCompatibility(restored).isIncompatible())
                .isFalse();
    }

    @Test
    void taxonomyOperationEmbedsTheCurrentSegmentFormat() {
        // SegmentDefinition's bytes sit inside TaxonomyOperation's: bumping one alone would make
        // TaxonomyOperation state unreadable without any version telling so.
        assertThat(TaxonomyOperationSerializer.EMBEDDED_SEGMENT_VERSION).isEqualTo(SegmentDefinitionSerializer.VERSION);
    }

    @Test
    void positionedIdentityEmbedsTheCurrentIdentityFormat() {
        assertThat(PositionedIdentitySerializer.EMBEDDED_IDENTITY_VERSION).isEqualTo(IdentityRecordSerializer.VERSION);
    }
}

package dev.audiencemirror.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencemirror.listop.ListOperationSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.junit.jupiter.api.Test;

/**
 * The versioning rule of SERIALIZERS.md, played through with a test-only type at format v2 that
 * still reads v1: same format restores as-is, an older one migrates, a newer one is refused.
 */
class VersionedSerializerSnapshotTest {

    record Thing(String name, int count) {}

    /** Format v1: name only (count did not exist yet). Kept frozen to read old state. */
    static final class ThingSerializerV1 extends ImmutableValueSerializer<Thing> {
        static final ThingSerializerV1 INSTANCE = new ThingSerializerV1();

        @Override
        public Thing createInstance() {
            return new Thing("", 0);
        }

        @Override
        public void serialize(Thing t, DataOutputView out) throws IOException {
            FieldCodec.writeString(t.name(), out);
        }

        @Override
        public Thing deserialize(DataInputView in) throws IOException {
            return new Thing(FieldCodec.readString(in), 0);
        }

        @Override
        public TypeSerializerSnapshot<Thing> snapshotConfiguration() {
            throw new UnsupportedOperationException("old format: only for reading old state");
        }
    }

    /** Format v2: name, count. */
    static final class ThingSerializer extends ImmutableValueSerializer<Thing> {
        static final ThingSerializer INSTANCE = new ThingSerializer();

        @Override
        public Thing createInstance() {
            return new Thing("", 0);
        }

        @Override
        public void serialize(Thing t, DataOutputView out) throws IOException {
            FieldCodec.writeString(t.name(), out);
            out.writeInt(t.count());
        }

        @Override
        public Thing deserialize(DataInputView in) throws IOException {
            return new Thing(FieldCodec.readString(in), in.readInt());
        }

        @Override
        public TypeSerializerSnapshot<Thing> snapshotConfiguration() {
            return new ThingSnapshot();
        }
    }

    public static final class ThingSnapshot extends VersionedSerializerSnapshot<Thing> {
        public ThingSnapshot() {
            super("Thing", 2);
        }

        @Override
        protected TypeSerializer<Thing> serializerForVersion(int version) {
            return switch (version) {
                case 1 -> ThingSerializerV1.INSTANCE;
                case 2 -> ThingSerializer.INSTANCE;
                default -> null;
            };
        }
    }

    /** The bytes a build at format {@code version} wrote into a savepoint for this snapshot. */
    private static byte[] snapshotBytes(Class<?> snapshotClass, int version) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(snapshotClass.getName());
        out.writeInt(version);
        return out.getCopyOfBuffer();
    }

    private static <T> TypeSerializerSnapshot<T> restore(byte[] bytes) throws IOException {
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(bytes), VersionedSerializerSnapshotTest.class.getClassLoader());
    }

    @Test
    void fabricatedSnapshotBytesMatchWhatFlinkWrites() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, ListOperationSerializer.INSTANCE.snapshotConfiguration());
        assertThat(out.getCopyOfBuffer())
                .isEqualTo(snapshotBytes(ListOperationSerializer.Snapshot.class, ListOperationSerializer.VERSION));
    }

    @Test
    void sameFormatRestoresAsIs() throws IOException {
        TypeSerializerSnapshot<Thing> restored = restore(snapshotBytes(ThingSnapshot.class, 2));
        assertThat(new ThingSnapshot().resolveSchemaCompatibility(restored).isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isSameAs(ThingSerializer.INSTANCE);
    }

    @Test
    void olderFormatIsReadWithItsOwnSerializerThenMigrated() throws IOException {
        DataOutputSerializer state = new DataOutputSerializer(64);
        ThingSerializerV1.INSTANCE.serialize(new Thing("old", 0), state);

        TypeSerializerSnapshot<Thing> restored = restore(snapshotBytes(ThingSnapshot.class, 1));
        TypeSerializerSchemaCompatibility<Thing> compat = new ThingSnapshot().resolveSchemaCompatibility(restored);
        assertThat(compat.isCompatibleAfterMigration()).isTrue();

        Thing read = restored.restoreSerializer().deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertThat(read).isEqualTo(new Thing("old", 0));
    }

    @Test
    void newerFormatThanThisBuildIsRefusedWithAClearMessage() throws IOException {
        byte[] future = snapshotBytes(ThingSnapshot.class, 3);
        assertThatThrownBy(() -> restore(future))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Thing in serializer format v3")
                .hasMessageContaining("reads up to v2");
    }

    @Test
    void anotherTypesSnapshotIsIncompatible() throws IOException {
        // Erased to Thing: what Flink would hand over if a state's type were swapped.
        TypeSerializerSnapshot<Thing> restored = restore(snapshotBytes(ListOperationSerializer.Snapshot.class, 1));
        TypeSerializerSchemaCompatibility<Thing> compat = new ThingSnapshot().resolveSchemaCompatibility(restored);
        assertThat(compat.isIncompatible()).isTrue();
    }
}
